using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>The workspace's pipelines in order, each with its current stages and lost reasons.</summary>
public static class ListPipelines
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<IReadOnlyList<PipelineDto>>> HandleAsync(CancellationToken ct)
        {
            if (!await PipelineRules.CanReadAsync(access, ct))
            {
                return Outcome<IReadOnlyList<PipelineDto>>.Forbidden("Your roles do not allow you to see pipelines or deals.");
            }

            var pipelines = await PipelineRules.WithStages(db).AsNoTracking().OrderBy(p => p.Position).ThenBy(p => p.Name).ToListAsync(ct);
            return Outcome<IReadOnlyList<PipelineDto>>.Ok([.. pipelines.Select(PipelineDto.From)]);
        }
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapGet("/", async (Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(ct)).ToHttp("pipeline", p => TypedResults.Ok(new { data = p })))
            .WithName("ListPipelines")
            .WithSummary("List pipelines with their stages")
            .WithDescription("The first pipeline (lowest position) is where new deals go unless they name another. " +
                             "Readable by members whose roles read pipelines or deals.")
            .Produces<PipelineList>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>The list's shape, for the OpenAPI document.</summary>
    public sealed record PipelineList(IReadOnlyList<PipelineDto> Data);
}
