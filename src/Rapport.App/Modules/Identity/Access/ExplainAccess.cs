using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Access;

/// <summary>
/// Explains, per action, whether a member may act on an entity type (or one record of it), and
/// which role and level decided it. Admins only; the "view as" page uses the same answer.
/// </summary>
public static class ExplainAccess
{
    public sealed record Decision(AccessAction Action, bool Allowed, AccessLevel Level, Guid? RoleId, string? RoleName, string Reason);

    public sealed record Response(Guid UserId, string Entity, Guid? RecordId, bool IsAdministrator, Guid? OwnerId, Guid? TeamId, IReadOnlyList<Decision> Actions);

    public sealed class Handler(RapportDbContext db, IAccessControl access, AccessCatalog catalog)
    {
        private static readonly MethodInfo FindRecord = typeof(Handler).GetMethod(nameof(FindAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

        public async Task<Outcome<Response>> HandleAsync(Guid userId, string entity, Guid? recordId, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<Response>(access, ct) is { } refused)
            {
                return refused;
            }

            if (catalog.Find(entity) is not { } type)
            {
                return Outcome<Response>.Invalid("entity", $"Entity must be one of: {string.Join(", ", catalog.Entities.Select(e => e.Name))}.");
            }

            if (!await db.Memberships.AnyAsync(m => m.UserId == userId, ct))
            {
                return Outcome<Response>.Invalid("userId", "This user is not a member of the workspace.");
            }

            IOwnedRecord? record = null;
            if (recordId is { } id)
            {
                record = await (Task<IOwnedRecord?>)FindRecord.MakeGenericMethod(type.Type).Invoke(null, [db, id, ct])!;
                if (record is null)
                {
                    return Outcome<Response>.NotFound();
                }
            }

            var grants = await AccessControl.LoadAsync(db, userId, ct);
            var decisions = new List<Decision>();
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                var (level, role) = grants.Decide(entity, action);
                var allowed = record is null ? level != AccessLevel.None : grants.Reaches(level, record);
                var reason = Reason(grants, level, role?.Name, record, allowed);
                if (!allowed && record is not null && await AccessControl.SharedAsync(db, grants, entity, record.Id, action, ct))
                {
                    (allowed, reason) = (true, "The record is shared with the member or one of their teams.");
                }

                decisions.Add(new Decision(action, allowed, level, role?.Id, role?.Name, reason));
            }
            return Outcome<Response>.Ok(new Response(userId, entity, recordId, grants.IsAdministrator, record?.OwnerId, record?.TeamId, decisions));
        }

        private static async Task<IOwnedRecord?> FindAsync<T>(RapportDbContext db, Guid id, CancellationToken ct) where T : WorkspaceEntity, IOwnedRecord =>
            await db.Set<T>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);

        private static string Reason(AccessControl.Grants grants, AccessLevel level, string? role, IOwnedRecord? record, bool allowed)
        {
            if (level == AccessLevel.None)
            {
                return "None of the member's roles grants this action.";
            }

            var grant = $"Role “{role}” grants it on {level switch { AccessLevel.All => "all records", AccessLevel.Team => "the records of the member's teams", _ => "the member's own records" }}";
            if (record is null || level == AccessLevel.All)
            {
                return grant + ".";
            }

            if (!allowed)
            {
                return grant + ", and this record is not one of them.";
            }

            return grant + (record.OwnerId == grants.UserId ? ": the member owns this record."
                : record.TeamId is { } t && grants.TeamIds.Contains(t) ? ": the record belongs to one of the member's teams."
                : ": the record's owner is in one of the member's teams.");
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/access/explain", async (Guid userId, string entity, Guid? id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(userId, entity, id, ct)).ToHttp("record", TypedResults.Ok))
            .WithTags("Access")
            .WithName("ExplainAccess")
            .WithSummary("Explain what a member may do with an entity type or one record (admins only)")
            .Produces<Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
