using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotas;

/// <summary>Deletes a quota (into the trash, audited). Needs If-Match.</summary>
public static class DeleteQuota
{
    public sealed class Handler(RapportDbContext db, ICurrentUser user, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<QuotaDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<QuotaDto>.IfMatchRequired();
            }

            var (quota, refusal) = await QuotaAccess.LoadForAsync(db, access, user, id, AccessAction.Delete, ct);
            if (quota is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != quota.Version)
            {
                return Outcome<QuotaDto>.Stale();
            }

            quota.MoveToTrash(clock.GetUtcNow(), user.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<QuotaDto>.Stale();
            }

            return Outcome<QuotaDto>.Ok(QuotaDto.From(quota));
        }
    }

    public static void Map(RouteGroupBuilder quotas) =>
        quotas.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("quota", _ => TypedResults.NoContent()))
            .WithName("DeleteQuota")
            .WithSummary("Delete a quota")
            .WithDescription("Send the ETag (or *) in If-Match. Needs the right to delete quotas.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
