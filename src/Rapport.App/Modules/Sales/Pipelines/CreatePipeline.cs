using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>Adds a pipeline after the others; needs level "all" on pipelines (administrators and sales managers by default).</summary>
public static class CreatePipeline
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock)
    {
        public async Task<Outcome<PipelineDto>> HandleAsync(PipelineFields fields, CancellationToken ct)
        {
            if (!await PipelineRules.MayAsync(access, AccessAction.Create, ct))
            {
                return Outcome<PipelineDto>.Forbidden("Your roles do not allow you to create pipelines.");
            }

            if (await PipelineRules.CheckAsync(db, fields, null, ct) is { Count: > 0 } errors)
            {
                return Outcome<PipelineDto>.Invalid(errors);
            }

            var position = await db.Set<Pipeline>().MaxAsync(p => (int?)p.Position, ct) + 1 ?? 0;
            var pipeline = Pipeline.Create(currentUser.WorkspaceId!.Value, fields.Name, fields.NameZh, position);
            await PipelineRules.ApplyAsync(db, pipeline, fields, clock.GetUtcNow(), ct);
            db.Add(pipeline);
            await db.SaveChangesAsync(ct);
            return Outcome<PipelineDto>.Ok(PipelineDto.From(pipeline));
        }
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapPost("/", async (JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<PipelineFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<PipelineDto>.Invalid(fields.Errors);
                return outcome.ToHttp("pipeline", p =>
                {
                    ETags.Set(http.Response, p.Version);
                    return TypedResults.Created($"/api/v1/pipelines/{p.Id}", p);
                });
            })
            .WithName("CreatePipeline")
            .WithSummary("Create a pipeline")
            .WithDescription("Stages in board order, each with a label (and labelZh), probability 0–100, kind open, won or lost (won stages 100, lost 0) " +
                             "and requiredFields a deal needs to enter it. At least one stage of each kind; a lost stage needs lost reasons. Accepts Idempotency-Key.")
            .Accepts<PipelineFields>("application/json")
            .Produces<PipelineDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
