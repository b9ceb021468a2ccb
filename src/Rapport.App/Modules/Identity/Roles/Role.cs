using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.Roles;

/// <summary>
/// A named set of permissions: per entity type and action, a level (none, own, team, all).
/// Members may hold several roles; the most permissive wins. Administrators may do everything,
/// including managing users, roles, teams and settings.
/// </summary>
[EntityName("role")]
public sealed class Role : WorkspaceEntity, IWorkspaceConfiguration
{
    public const int NameMaxLength = 100;

    private Role() { }

    private Role(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    /// <summary>The built-in role this started as (admin, sales-manager…), or null for a role an admin made.</summary>
    public string? BuiltIn { get; private set; }
    public bool IsAdministrator { get; private set; }
    /// <summary>entity → action → level. Missing entries mean none.</summary>
    public Dictionary<string, Dictionary<AccessAction, AccessLevel>> Permissions { get; private set; } = [];
    /// <summary>entity → field → access. Missing entries mean editable.</summary>
    public Dictionary<string, Dictionary<string, FieldAccess>> Fields { get; private set; } = [];
    /// <summary>Workspace-wide rights beside the per-entity levels, e.g. <c>views.share</c>.</summary>
    public List<string> Capabilities { get; private set; } = [];
    public int Version { get; private set; } = 1;

    public static Role Create(Guid workspaceId, string name, bool isAdministrator, Dictionary<string, Dictionary<AccessAction, AccessLevel>> permissions,
        string? builtIn = null, IEnumerable<string>? capabilities = null) =>
        new(workspaceId) { Name = name.Trim(), IsAdministrator = isAdministrator, Permissions = permissions, BuiltIn = builtIn, Capabilities = [.. capabilities ?? []] };

    public void Change(string name, bool isAdministrator, Dictionary<string, Dictionary<AccessAction, AccessLevel>> permissions,
        Dictionary<string, Dictionary<string, FieldAccess>> fields, IEnumerable<string> capabilities)
    {
        Name = name.Trim();
        IsAdministrator = isAdministrator;
        Permissions = permissions;
        Fields = fields;
        Capabilities = [.. capabilities.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Levels for an entity type the role has no entry for yet (a module added it after the role was made).</summary>
    public void AddPermissions(string entity, Dictionary<AccessAction, AccessLevel> levels)
    {
        if (!Permissions.ContainsKey(entity))
        {
            Permissions = new(Permissions) { [entity] = levels };
        }
    }

    public bool Grants(string capability) => IsAdministrator || Capabilities.Contains(capability);

    public FieldAccess FieldFor(string entity, string field) =>
        IsAdministrator ? FieldAccess.Editable
        : Fields.TryGetValue(entity, out var fields) && fields.TryGetValue(field, out var access) ? access : FieldAccess.Editable;

    public AccessLevel LevelFor(string entity, AccessAction action) =>
        IsAdministrator ? AccessLevel.All
        : Permissions.TryGetValue(entity, out var actions) && actions.TryGetValue(action, out var level) ? level : AccessLevel.None;
}

/// <summary>A role held by a member of the workspace.</summary>
[EntityName("membership-role")]
public sealed class MembershipRole : IWorkspaceOwned, IWorkspaceConfiguration
{
    private MembershipRole() { }

    public MembershipRole(Guid workspaceId, Guid userId, Guid roleId)
    {
        WorkspaceId = workspaceId;
        UserId = userId;
        RoleId = roleId;
    }

    public Guid WorkspaceId { get; private init; }
    public Guid UserId { get; private init; }
    public Guid RoleId { get; private init; }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public void Configure(EntityTypeBuilder<Role> b)
    {
        b.ToTable("identity_roles");
        b.HasKey(r => new { r.WorkspaceId, r.Id });
        b.Property(r => r.Name).HasMaxLength(Role.NameMaxLength);
        b.Property(r => r.BuiltIn).HasMaxLength(40);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Property(r => r.Permissions).HasConversion(
            p => JsonSerializer.Serialize(p, Json),
            s => JsonSerializer.Deserialize<Dictionary<string, Dictionary<AccessAction, AccessLevel>>>(s, Json) ?? new(),
            new ValueComparer<Dictionary<string, Dictionary<AccessAction, AccessLevel>>>(
                (a, c) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(c, Json),
                p => JsonSerializer.Serialize(p, Json).GetHashCode(StringComparison.Ordinal),
                p => JsonSerializer.Deserialize<Dictionary<string, Dictionary<AccessAction, AccessLevel>>>(JsonSerializer.Serialize(p, Json), Json)!));
        b.Property(r => r.Fields).HasConversion(
            f => JsonSerializer.Serialize(f, Json),
            s => JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, FieldAccess>>>(s, Json) ?? new(),
            new ValueComparer<Dictionary<string, Dictionary<string, FieldAccess>>>(
                (a, c) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(c, Json),
                f => JsonSerializer.Serialize(f, Json).GetHashCode(StringComparison.Ordinal),
                f => JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, FieldAccess>>>(JsonSerializer.Serialize(f, Json), Json)!));
        // JSON text like the other rights, so one default ('[]', none) serves both databases for roles made before capabilities existed.
        b.Property(r => r.Capabilities).HasConversion(
            c => JsonSerializer.Serialize(c, Json),
            s => JsonSerializer.Deserialize<List<string>>(s, Json) ?? new(),
            new ValueComparer<List<string>>((a, c) => a!.SequenceEqual(c!), c => string.Join(',', c).GetHashCode(StringComparison.Ordinal), c => c.ToList()))
            .HasMaxLength(2000).HasDefaultValueSql("'[]'");
        b.HasIndex(r => new { r.WorkspaceId, r.Name }).IsUnique();
        b.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MembershipRoleConfiguration : IEntityTypeConfiguration<MembershipRole>
{
    public void Configure(EntityTypeBuilder<MembershipRole> b)
    {
        b.ToTable("identity_membership_roles");
        b.HasKey(m => new { m.WorkspaceId, m.UserId, m.RoleId });
        b.HasOne<Membership>().WithMany().HasForeignKey(m => new { m.WorkspaceId, m.UserId }).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Role>().WithMany().HasForeignKey(m => new { m.WorkspaceId, m.RoleId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.WorkspaceId, m.RoleId });
    }
}
