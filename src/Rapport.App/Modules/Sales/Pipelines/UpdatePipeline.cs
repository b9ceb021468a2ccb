using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// PATCH as a JSON merge patch over the pipeline's fields (If-Match). <c>stages</c> and <c>lostReasons</c> are replaced as
/// a whole: send the stages in their new order, with the ids of those that stay.
/// </summary>
public static class UpdatePipeline
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public Task<Outcome<PipelineDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, current => JsonBody.Merge(current, patch), ifMatch, ct);

        public Task<Outcome<PipelineDto>> HandleAsync(Guid id, PipelineFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, _ => Outcome<PipelineFields>.Ok(fields), ifMatch, ct);

        private async Task<Outcome<PipelineDto>> ChangeAsync(Guid id, Func<PipelineFields, Outcome<PipelineFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            if (!await PipelineRules.CanReadAsync(access, ct) || await PipelineRules.WithStages(db).SingleOrDefaultAsync(p => p.Id == id, ct) is not { } pipeline)
            {
                return Outcome<PipelineDto>.NotFound();
            }

            if (!await PipelineRules.MayAsync(access, AccessAction.Update, ct))
            {
                return Outcome<PipelineDto>.Forbidden("Your roles do not allow you to change pipelines.");
            }

            if (!ifMatch.Present)
            {
                return Outcome<PipelineDto>.IfMatchRequired();
            }

            if (ifMatch.Version is { } expected && expected != pipeline.Version)
            {
                return Outcome<PipelineDto>.Stale();
            }

            var fields = change(PipelineDto.From(pipeline).Fields);
            if (!fields.IsOk)
            {
                return fields.As<PipelineDto>();
            }

            var errors = await PipelineRules.CheckAsync(db, fields.Value!, pipeline, ct);
            if (errors.Count == 0)
            {
                // Unsaved when refused: the context ends with the request.
                errors = await PipelineRules.ApplyAsync(db, pipeline, fields.Value!, clock.GetUtcNow(), ct);
            }

            if (errors.Count > 0)
            {
                return Outcome<PipelineDto>.Invalid(errors);
            }

            db.Entry(pipeline).Property(p => p.Version).IsModified = true; // stage changes alone still make a new version
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<PipelineDto>.Stale();
            }

            return Outcome<PipelineDto>.Ok(PipelineDto.From(pipeline));
        }
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("pipeline", p =>
                {
                    ETags.Set(http.Response, p.Version);
                    return TypedResults.Ok(p);
                }))
            .WithName("UpdatePipeline")
            .WithSummary("Change a pipeline, its stages and their order (JSON merge patch, If-Match)")
            .WithDescription("A stage left out of stages is taken out of the pipeline; refused while deals (in the trash too) are in it. " +
                             "Stages deals have passed through stay in their stage history.")
            .Accepts<PipelineFields>("application/merge-patch+json", "application/json")
            .Produces<PipelineDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
