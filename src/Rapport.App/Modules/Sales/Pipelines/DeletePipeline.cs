using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// Deletes an unused pipeline for good (If-Match): refused while any deal (in the trash too) is in it or has been through it,
/// and for the workspace's last pipeline.
/// </summary>
public static class DeletePipeline
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PipelineDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!await PipelineRules.CanReadAsync(access, ct) || await PipelineRules.WithStages(db).SingleOrDefaultAsync(p => p.Id == id, ct) is not { } pipeline)
            {
                return Outcome<PipelineDto>.NotFound();
            }

            if (!await PipelineRules.MayAsync(access, AccessAction.Delete, ct))
            {
                return Outcome<PipelineDto>.Forbidden("Your roles do not allow you to delete pipelines.");
            }

            if (!ifMatch.Present)
            {
                return Outcome<PipelineDto>.IfMatchRequired();
            }

            if (ifMatch.Version is { } expected && expected != pipeline.Version)
            {
                return Outcome<PipelineDto>.Stale();
            }

            if (await db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).CountAsync(d => d.PipelineId == id, ct) is > 0 and var deals)
            {
                return Outcome<PipelineDto>.Conflict($"{deals} deal(s) are in this pipeline, counting the trash. Move them to another pipeline first.");
            }

            var stages = pipeline.Stages.Select(s => s.Id).ToList();
            if (await db.Set<DealStageVisit>().AnyAsync(v => stages.Contains(v.StageId), ct))
            {
                return Outcome<PipelineDto>.Conflict("Deals have passed through this pipeline's stages: it stays for their stage history.");
            }

            if (!await db.Set<Pipeline>().AnyAsync(p => p.Id != id, ct))
            {
                return Outcome<PipelineDto>.Conflict("This is the workspace's only pipeline: add another before deleting it.");
            }

            var dto = PipelineDto.From(pipeline);
            db.RemoveRange(pipeline.Stages);
            db.Remove(pipeline);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<PipelineDto>.Stale();
            }

            return Outcome<PipelineDto>.Ok(dto);
        }
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("pipeline", _ => TypedResults.NoContent()))
            .WithName("DeletePipeline")
            .WithSummary("Delete an unused pipeline (If-Match)")
            .WithDescription("409 while deals (in the trash too) are in the pipeline or have been through it, or when it is the workspace's only one.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
