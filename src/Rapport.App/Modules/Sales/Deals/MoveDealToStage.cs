using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// <c>POST /deals/{id}/stage</c> {stageId, lostReason}: moves a deal to a stage of its pipeline or another one, closing its
/// stay in the current stage. Refused with a validation problem naming the missing fields (<c>errors</c> and
/// <c>missingFields</c>) when the stage requires fields the deal lacks, or a lost reason for a lost stage. If-Match optional.
/// </summary>
public static class MoveDealToStage
{
    public sealed record Request(Guid StageId, string? LostReason = null);

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapPost("/{id:guid}/stage", async (Guid id, JsonElement body, UpdateDeal.Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var request = JsonBody.Read<Request>(body);
                var outcome = request.IsOk
                    ? await handler.MoveAsync(id, request.Value!.StageId, request.Value.LostReason, ETags.ReadIfMatch(http.Request), ct)
                    : Outcome<DealDto>.Invalid(request.Errors);
                var policy = await access.FieldsAsync(Deal.TypeName, ct);
                return outcome.ToHttp("deal", d =>
                {
                    ETags.Set(http.Response, d.Version);
                    return FieldMask.Json(http, d, policy);
                });
            })
            .WithName("MoveDealToStage")
            .WithSummary("Move a deal to a stage")
            .WithDescription("Body {stageId, lostReason}. 400 (type validation) when the stage requires fields the deal lacks: errors name each field and " +
                             "missingFields lists them, with the stageId. A lost stage needs lostReason, a key of the pipeline's lost reasons. If-Match optional.")
            .Accepts<Request>("application/json")
            .Produces<DealDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
