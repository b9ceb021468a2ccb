using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>A file's details (name, type, size, links), for whoever may read one of its records.</summary>
public static class GetFile
{
    public sealed class Handler(RapportDbContext db, ActivityLinks links)
    {
        public async Task<FileDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await FileRules.LoadAsync(db, links, id, tracked: false, ct) is var (file, linked)
                ? FileDto.From(file, await links.NamedAsync(linked.Select(l => l.Record), ct))
                : null;
    }

    public static void Map(RouteGroupBuilder files) =>
        files.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } file)
                {
                    return Problems.NotFoundProblem(StoredFile.TypeName);
                }

                ETags.Set(http.Response, file.Version);
                return TypedResults.Ok(file);
            })
            .WithName("GetFile")
            .WithSummary("Read a file's details")
            .Produces<FileDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
