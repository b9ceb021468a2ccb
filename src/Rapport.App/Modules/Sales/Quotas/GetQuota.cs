using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotas;

public static class GetQuota
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user)
    {
        public async Task<Outcome<QuotaDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            var (quota, refusal) = await QuotaAccess.LoadForAsync(db, access, user, id, AccessAction.Read, ct);
            return quota is null ? refusal! : Outcome<QuotaDto>.Ok(QuotaDto.From(quota));
        }
    }

    public static void Map(RouteGroupBuilder quotas) =>
        quotas.MapGet("/{id:guid}", async (Guid id, Handler handler, HttpResponse response, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("quota", q =>
                {
                    ETags.Set(response, q.Version);
                    return TypedResults.Ok(q);
                }))
            .WithName("GetQuota")
            .WithSummary("Get a quota")
            .WithDescription("With its ETag. 404 for a quota you may not read (another person's, unless you may change quotas).")
            .Produces<QuotaDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
