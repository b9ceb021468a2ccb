using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Roles;

public static class ListRoles
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<IReadOnlyList<RoleDto>>> HandleAsync(CancellationToken ct)
        {
            if (await Administrators.RequireAsync<IReadOnlyList<RoleDto>>(access, ct) is { } refused)
            {
                return refused;
            }

            var roles = await db.Set<Role>().AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
            return Outcome<IReadOnlyList<RoleDto>>.Ok([.. roles.Select(RoleDto.From)]);
        }
    }

    public static void Map(RouteGroupBuilder roles) =>
        roles.MapGet("/", async (Handler handler, CancellationToken ct) => (await handler.HandleAsync(ct)).ToHttp("role", TypedResults.Ok))
            .WithName("ListRoles")
            .WithSummary("List the workspace's roles with their permissions (admins only)")
            .Produces<IReadOnlyList<RoleDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
