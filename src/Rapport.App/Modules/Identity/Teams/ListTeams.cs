using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.Teams;

/// <summary>The workspace's teams and their members; every member may read them (team pickers need them).</summary>
public static class ListTeams
{
    public sealed class Handler(RapportDbContext db)
    {
        public async Task<IReadOnlyList<TeamDto>> HandleAsync(CancellationToken ct) =>
            [.. (await db.Set<Team>().AsNoTracking().Include(t => t.Members).OrderBy(t => t.Name).ToListAsync(ct)).Select(TeamDto.From)];
    }

    public static void Map(RouteGroupBuilder teams) =>
        teams.MapGet("/", async (Handler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListTeams")
            .WithSummary("List the workspace's teams")
            .Produces<IReadOnlyList<TeamDto>>();
}
