using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;
using Rapport.Kernel.Security.Sharing;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;

namespace Rapport.Modules.Identity.Access;

/// <summary>
/// Decides access for the current user from their roles and teams, loaded once per scope. Record
/// scope becomes a WHERE clause (owner, team ids, teammates) so the database does the filtering.
/// </summary>
public sealed class AccessControl(RapportDbContext db, ICurrentUser currentUser) : IAccessControl
{
    private Grants? _grants;

    /// <summary>What the access decision rests on for one member: their roles, teams and teammates.</summary>
    public sealed record Grants(Guid UserId, IReadOnlyList<Role> Roles, IReadOnlyList<Guid> TeamIds, IReadOnlyList<Guid> Teammates)
    {
        public bool IsAdministrator => Roles.Any(r => r.IsAdministrator);

        /// <summary>The most permissive level of any role, and the role that gives it.</summary>
        public (AccessLevel Level, Role? DecidedBy) Decide(string entity, AccessAction action) =>
            Roles.Select(r => (Level: r.LevelFor(entity, action), DecidedBy: (Role?)r)).OrderByDescending(x => x.Level).FirstOrDefault();

        public bool Reaches(AccessLevel level, IOwnedRecord record) => level switch
        {
            AccessLevel.All => true,
            AccessLevel.Team => record.OwnerId == UserId || record.TeamId is { } t && TeamIds.Contains(t) || record.OwnerId is { } o && Teammates.Contains(o),
            AccessLevel.Own => record.OwnerId == UserId,
            _ => false,
        };
    }

    public async Task<Grants> GrantsAsync(CancellationToken ct) => _grants ??= await LoadAsync(db, currentUser.UserId ?? Guid.Empty, ct);

    /// <summary>Any member's grants in the current workspace (for explain and "view as" too), read again only after the workspace's configuration changed.</summary>
    public static Task<Grants> LoadAsync(RapportDbContext db, Guid userId, CancellationToken ct) =>
        db.RememberConfigurationAsync("grants:" + userId, () => ReadAsync(db, userId, ct), ct);

    private static async Task<Grants> ReadAsync(RapportDbContext db, Guid userId, CancellationToken ct)
    {
        if (!await db.Memberships.AnyAsync(m => m.UserId == userId && m.DeactivatedAt == null, ct))
        {
            return new Grants(userId, [], [], []); // a deactivated member reaches nothing, whatever their principal says
        }

        var roles = await db.Set<MembershipRole>().Where(m => m.UserId == userId)
            .Join(db.Set<Role>(), m => m.RoleId, r => r.Id, (_, r) => r).AsNoTracking().ToListAsync(ct);
        var teams = await db.Set<TeamMember>().Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(ct);
        var teammates = await db.Set<TeamMember>().Where(m => teams.Contains(m.TeamId) && m.UserId != userId)
            .Select(m => m.UserId).Distinct().ToListAsync(ct);
        return new Grants(userId, roles, teams, teammates);
    }

    public async Task<AccessLevel> LevelAsync(string entity, AccessAction action, CancellationToken ct) =>
        KeyAllows(action) ? (await GrantsAsync(ct)).Decide(entity, action).Level : AccessLevel.None;

    /// <summary>A read key administers nothing and a write key neither; an admin key or a session does what the roles say.</summary>
    public async Task<bool> IsAdministratorAsync(CancellationToken ct) =>
        currentUser.ApiKeyScope is null or "admin" && (await GrantsAsync(ct)).IsAdministrator;

    public async Task<bool> CanAsync(IOwnedRecord record, string entity, AccessAction action, CancellationToken ct)
    {
        var grants = await GrantsAsync(ct);
        return grants.Reaches(await LevelAsync(entity, action, ct), record)
               || KeyAllows(action) && record.Id != Guid.Empty && await SharedAsync(db, grants, entity, record.Id, action, ct);
    }

    public async Task<IQueryable<T>> ScopeAsync<T>(IQueryable<T> query, string entity, AccessAction action, CancellationToken ct)
        where T : class, IOwnedRecord =>
        Scope(query, await GrantsAsync(ct), await LevelAsync(entity, action, ct), KeyAllows(action) ? Shares(db, await GrantsAsync(ct), entity, action) : null);

    /// <summary>Ids of records shared with the member (directly or through a team) for this action: read shares allow reading, edit shares also updating.</summary>
    private static IQueryable<Guid>? Shares(RapportDbContext db, Grants grants, string entity, AccessAction action)
    {
        if (action is not (AccessAction.Read or AccessAction.Update) || grants.Roles.Count == 0)
        {
            return null;
        }

        var me = (Guid?)grants.UserId;
        var teams = grants.TeamIds.Select(t => (Guid?)t).ToList();
        var edit = action == AccessAction.Update;
        return db.Set<RecordShare>()
            .Where(s => s.EntityType == entity && (s.UserId == me || teams.Contains(s.TeamId)) && (!edit || s.Access == ShareAccess.Edit))
            .Select(s => s.RecordId);
    }

    public static async Task<bool> SharedAsync(RapportDbContext db, Grants grants, string entity, Guid recordId, AccessAction action, CancellationToken ct) =>
        Shares(db, grants, entity, action) is { } shared && await shared.AnyAsync(id => id == recordId, ct);

    public async Task<FieldPolicy> FieldsAsync(string entity, CancellationToken ct)
    {
        var grants = await GrantsAsync(ct);
        if (grants.IsAdministrator)
        {
            return FieldPolicy.Open;
        }

        // The most permissive role wins: a field is hidden only if every role hides it (a member without roles sees nothing anyway).
        var fields = grants.Roles.SelectMany(r => r.Fields.GetValueOrDefault(entity)?.Keys ?? Enumerable.Empty<string>()).Distinct();
        var best = fields.ToDictionary(f => f, f => grants.Roles.Max(r => r.FieldFor(entity, f)));
        return new FieldPolicy(
            best.Where(b => b.Value == FieldAccess.Hidden).Select(b => b.Key).ToHashSet(),
            best.Where(b => b.Value == FieldAccess.ReadOnly).Select(b => b.Key).ToHashSet());
    }

    /// <summary>A read key grants no capability (they all change something for others).</summary>
    public async Task<bool> HasCapabilityAsync(string capability, CancellationToken ct) =>
        currentUser.ApiKeyScope != "read" && (await GrantsAsync(ct)).Roles.Any(r => r.Grants(capability));

    /// <summary>An API key's scope caps what its owner's roles allow: a read key only reads.</summary>
    private bool KeyAllows(AccessAction action) => currentUser.ApiKeyScope != "read" || action == AccessAction.Read;

    public static IQueryable<T> Scope<T>(IQueryable<T> query, Grants grants, AccessLevel level, IQueryable<Guid>? shared) where T : class, IOwnedRecord
    {
        var me = (Guid?)grants.UserId;
        var teams = grants.TeamIds.Select(t => (Guid?)t).ToList();
        var teammates = grants.Teammates.Select(t => (Guid?)t).ToList();
        return (level, shared) switch
        {
            (AccessLevel.All, _) => query,
            (AccessLevel.Team, null) => query.Where(r => r.OwnerId == me || teams.Contains(r.TeamId) || teammates.Contains(r.OwnerId)),
            (AccessLevel.Team, _) => query.Where(r => r.OwnerId == me || teams.Contains(r.TeamId) || teammates.Contains(r.OwnerId) || shared.Contains(r.Id)),
            (AccessLevel.Own, null) => query.Where(r => r.OwnerId == me),
            (AccessLevel.Own, _) => query.Where(r => r.OwnerId == me || shared.Contains(r.Id)),
            (_, null) => query.Where(_ => false),
            _ => query.Where(r => shared.Contains(r.Id)),
        };
    }
}
