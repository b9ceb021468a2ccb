using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;

namespace Rapport.Kernel.Imports;

/// <summary>Stops an import: a queued one at once, a running one after the batch in flight (what it committed stays, and can be undone).</summary>
public static class CancelImport
{
    public sealed class Handler(RapportDbContext db, GetImport.Handler imports, JobQueue queue)
    {
        public async Task<Outcome<ImportDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            if (await imports.HandleAsync(id, ct) is not { IsOk: true })
            {
                return Outcome<ImportDto>.NotFound();
            }

            var cancelled = await queue.CancelAsync(db, id, ct);
            var import = await imports.HandleAsync(id, ct);
            return cancelled ? import : Outcome<ImportDto>.Conflict($"The import is {import.Value!.Status} already.");
        }
    }

    public static void Map(RouteGroupBuilder imports) =>
        imports.MapPost("/{id:guid}/cancel", async (Guid id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("import", i => TypedResults.Ok(i)))
            .WithName("CancelImport")
            .WithSummary("Cancel an import")
            .WithDescription("A queued import is cancelled at once; a running one stops after the rows in flight (status becomes cancelled within seconds). " +
                             "Rows it committed stay and can be undone. 409 when it has finished already.")
            .Produces<ImportDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
