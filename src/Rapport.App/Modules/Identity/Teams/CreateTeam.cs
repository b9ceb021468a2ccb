using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Teams;

public static class CreateTeam
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<TeamDto>> HandleAsync(TeamFields fields, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<TeamDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (await TeamRules.CheckAsync(db, fields, null, ct) is { Count: > 0 } errors)
            {
                return Outcome<TeamDto>.Invalid(errors);
            }

            var team = Team.Create(currentUser.WorkspaceId!.Value, fields.Name);
            team.SetMembers(fields.MemberIds ?? []);
            db.Add(team);
            await db.SaveChangesAsync(ct);
            return Outcome<TeamDto>.Ok(TeamDto.From(team));
        }
    }

    public static void Map(RouteGroupBuilder teams) =>
        teams.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<TeamFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<TeamDto>.Invalid(fields.Errors);
                return outcome.ToHttp("team", t =>
                {
                    ETags.Set(response, t.Version);
                    return TypedResults.Created($"/api/v1/teams/{t.Id}", t);
                });
            })
            .WithName("CreateTeam")
            .WithSummary("Create a team (admins only)")
            .Accepts<TeamFields>("application/json")
            .Produces<TeamDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
