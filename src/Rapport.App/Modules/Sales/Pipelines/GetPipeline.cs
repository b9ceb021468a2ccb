using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Pipelines;

public static class GetPipeline
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<PipelineDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await PipelineRules.CanReadAsync(access, ct)
            && await PipelineRules.WithStages(db).AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } pipeline
                ? PipelineDto.From(pipeline)
                : null;
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } pipeline)
                {
                    return Problems.NotFoundProblem("pipeline");
                }

                ETags.Set(http.Response, pipeline.Version);
                return TypedResults.Ok(pipeline);
            })
            .WithName("GetPipeline")
            .WithSummary("Read a pipeline with its stages")
            .Produces<PipelineDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
