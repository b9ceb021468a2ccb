using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>The stages a deal has been in, oldest first: when it entered and left each, and how long it stayed (so far, for the current one).</summary>
public static class GetDealStageHistory
{
    /// <param name="SecondsInStage">From entering to leaving, or to now for the stage the deal is in.</param>
    public sealed record StageVisitDto(
        Guid StageId, Guid PipelineId, string StageKey, string StageLabel, string? StageLabelZh, string Kind,
        DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, long SecondsInStage, Guid? EnteredBy)
    {
        public string LabelIn(bool chinese) => Bilingual.Pick(chinese, StageLabel, StageLabelZh);
    }

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<IReadOnlyList<StageVisitDto>>> HandleAsync(Guid id, CancellationToken ct)
        {
            var visible = await access.ScopeAsync(db.Set<Deal>().AsNoTracking(), Deal.TypeName, AccessAction.Read, ct);
            if (!await visible.AnyAsync(d => d.Id == id, ct))
            {
                return Outcome<IReadOnlyList<StageVisitDto>>.NotFound();
            }

            if ((await access.FieldsAsync(Deal.TypeName, ct)).IsHidden("stageId"))
            {
                return Outcome<IReadOnlyList<StageVisitDto>>.Forbidden("Your roles hide the stages of deals.");
            }

            var visits = await db.Set<DealStageVisit>().AsNoTracking().Where(v => v.DealId == id)
                .Join(db.Set<PipelineStage>(), v => v.StageId, s => s.Id, (v, s) => new { Visit = v, Stage = s })
                .OrderBy(x => x.Visit.EnteredAt).ThenBy(x => x.Visit.Id)
                .ToListAsync(ct);
            var now = clock.GetUtcNow();
            return Outcome<IReadOnlyList<StageVisitDto>>.Ok([.. visits.Select(x => new StageVisitDto(
                x.Stage.Id, x.Stage.PipelineId, x.Stage.Key, x.Stage.Label, x.Stage.LabelZh, x.Stage.Kind, x.Visit.EnteredAt, x.Visit.LeftAt,
                (long)x.Visit.TimeIn(now).TotalSeconds, x.Visit.EnteredBy))]);
        }
    }

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapGet("/{id:guid}/stage-history", async (Guid id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("deal", visits => TypedResults.Ok(new { data = visits })))
            .WithName("GetDealStageHistory")
            .WithSummary("A deal's stage history: entered, left and time in each stage, oldest first")
            .Produces<StageHistory>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>The answer's shape, for the OpenAPI document.</summary>
    public sealed record StageHistory(IReadOnlyList<StageVisitDto> Data);
}
