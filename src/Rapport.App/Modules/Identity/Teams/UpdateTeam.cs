using System.Text.Json;
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

/// <summary>Renames a team or replaces its members (merge patch, If-Match).</summary>
public static class UpdateTeam
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<TeamDto>> HandleAsync(Guid id, Func<TeamFields, Outcome<TeamFields>> change, IfMatch ifMatch, CancellationToken ct)
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

            var fields = change(new TeamFields(team.Name, [.. team.Members.Select(m => m.UserId)]));
            if (!fields.IsOk)
            {
                return Outcome<TeamDto>.Invalid(fields.Errors);
            }

            if (await TeamRules.CheckAsync(db, fields.Value!, id, ct) is { Count: > 0 } errors)
            {
                return Outcome<TeamDto>.Invalid(errors);
            }

            team.Rename(fields.Value!.Name);
            team.SetMembers(fields.Value.MemberIds ?? []);
            // Membership changes alone must still bump the team's version and conflict with concurrent edits.
            db.Entry(team).Property(t => t.Version).IsModified = true;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<TeamDto>.Stale();
            }

            return Outcome<TeamDto>.Ok(TeamDto.From(team));
        }
    }

    public static void Map(RouteGroupBuilder teams) =>
        teams.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, current => JsonBody.Merge(current, body), ETags.ReadIfMatch(http.Request), ct)).ToHttp("team", t =>
                {
                    ETags.Set(http.Response, t.Version);
                    return TypedResults.Ok(t);
                }))
            .WithName("UpdateTeam")
            .WithSummary("Rename a team or replace its members (admins only; merge patch, If-Match)")
            .Accepts<TeamFields>("application/merge-patch+json", "application/json")
            .Produces<TeamDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
