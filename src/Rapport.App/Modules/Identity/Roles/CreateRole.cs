using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Roles;

public static class CreateRole
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, AccessCatalog catalog)
    {
        public async Task<Outcome<RoleDto>> HandleAsync(RoleFields fields, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<RoleDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (new RoleFieldsValidator(catalog).Validate(fields) is { IsValid: false } invalid)
            {
                return Outcome<RoleDto>.Invalid(invalid);
            }

            if (await db.Set<Role>().AnyAsync(r => r.Name == fields.Name.Trim(), ct))
            {
                return Outcome<RoleDto>.Invalid("name", "Another role already has this name.");
            }

            var role = Role.Create(currentUser.WorkspaceId!.Value, fields.Name, fields.IsAdministrator, fields.Permissions ?? []);
            role.Change(fields.Name, fields.IsAdministrator, fields.Permissions ?? [], fields.Fields ?? [], fields.Capabilities ?? []);
            db.Add(role);
            await db.SaveChangesAsync(ct);
            return Outcome<RoleDto>.Ok(RoleDto.From(role));
        }
    }

    public static void Map(RouteGroupBuilder roles) =>
        roles.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<RoleFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<RoleDto>.Invalid(fields.Errors);
                return outcome.ToHttp("role", r =>
                {
                    ETags.Set(response, r.Version);
                    return TypedResults.Created($"/api/v1/roles/{r.Id}", r);
                });
            })
            .WithName("CreateRole")
            .WithSummary("Create a role (admins only)")
            .WithDescription("permissions: {\"company\": {\"read\": \"all\", \"update\": \"team\", …}}; actions create, read, update, delete, export, import, massUpdate, assign; levels none, own, team, all. " +
                             "capabilities: workspace-wide rights, e.g. [\"views.share\"] (share saved views with the workspace).")
            .Accepts<RoleFields>("application/json")
            .Produces<RoleDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
