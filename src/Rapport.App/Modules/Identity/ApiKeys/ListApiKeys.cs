using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.ApiKeys;

/// <summary>The signed-in user's API keys in this workspace, newest first (never the keys themselves).</summary>
public static class ListApiKeys
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser)
    {
        public async Task<IReadOnlyList<ApiKeyDto>> HandleAsync(CancellationToken ct) =>
            [.. (await db.Set<ApiKey>().AsNoTracking()
                .Where(k => k.UserId == currentUser.UserId && k.WorkspaceId == currentUser.WorkspaceId)
                .OrderByDescending(k => k.Id).ToListAsync(ct)).Select(k => ApiKeyDto.From(k))];
    }

    public static void Map(RouteGroupBuilder keys) =>
        keys.MapGet("/", async (Handler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListApiKeys")
            .WithSummary("List your API keys")
            .Produces<IReadOnlyList<ApiKeyDto>>();
}
