using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Compliance.Audit;

/// <summary>
/// The workspace's audit log (admins only): every change with who, when and field before/after,
/// filtered with the filter language (at, action, entityType, entityId, userId, traceId), newest first.
/// Read-only: no endpoint changes an audit row.
/// </summary>
public static class ListAuditEntries
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Page<AuditEntryDto>>> HandleAsync(ListRequest request, CancellationToken ct)
        {
            if (!await access.IsAdministratorAsync(ct))
            {
                return Outcome<Page<AuditEntryDto>>.Forbidden("Only workspace administrators may read the audit log.");
            }

            var page = await KeysetPager.PageAsync(db.AuditEntries.AsNoTracking(), request, AuditEntryDto.Fields, "-at", clock.GetUtcNow(), ct);
            return Outcome<Page<AuditEntryDto>>.Ok(new Page<AuditEntryDto>([.. page.Data.Select(a => AuditEntryDto.From(a))], page.NextCursor));
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async (string? filter, string? sort, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), ct)).ToHttp("audit entry", TypedResults.Ok))
            .WithTags("Audit")
            .WithName("ListAuditEntries")
            .WithSummary("The workspace's audit log (admins only)")
            .WithDescription("filter on at, action, entityType, entityId, userId, traceId, e.g. {\"field\":\"entityType\",\"op\":\"eq\",\"value\":\"company\"}; sort defaults to -at.")
            .Produces<Page<AuditEntryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
