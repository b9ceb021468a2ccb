using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Teams;

/// <summary>Deletes a team (If-Match); refused while records still belong to it.</summary>
public static class DeleteTeam
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<TeamDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<TeamDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (!ifMatch.Present)
            {
                return Outcome<TeamDto>.IfMatchRequired();
            }

            var team = await db.Set<Team>().Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == id, ct);
            if (team is null)
            {
                return Outcome<TeamDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != team.Version)
            {
                return Outcome<TeamDto>.Stale();
            }

            db.Remove(team);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsForeignKeyViolation(e))
            {
                return Outcome<TeamDto>.Conflict("Records still belong to this team (including records in the trash). Move them to another team first.");
            }

            return Outcome<TeamDto>.Ok(TeamDto.From(team));
        }
    }

    public static void Map(RouteGroupBuilder teams) =>
        teams.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("team", _ => TypedResults.NoContent()))
            .WithName("DeleteTeam")
            .WithSummary("Delete a team (admins only, If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
