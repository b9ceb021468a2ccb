using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Roles;

/// <summary>Deletes a role and its assignments (If-Match); refused when it would leave no administrator.</summary>
public static class DeleteRole
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<RoleDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<RoleDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (!ifMatch.Present)
            {
                return Outcome<RoleDto>.IfMatchRequired();
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.LockWorkspaceAsync(currentUser.WorkspaceId!.Value, ct);
            var role = await db.Set<Role>().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (role is null)
            {
                return Outcome<RoleDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != role.Version)
            {
                return Outcome<RoleDto>.Stale();
            }

            db.RemoveRange(await db.Set<MembershipRole>().Where(m => m.RoleId == id).ToListAsync(ct));
            db.Remove(role);
            await db.SaveChangesAsync(ct);
            if (await Administrators.CountAsync(db, ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return Outcome<RoleDto>.Conflict("The workspace needs at least one administrator: this would leave none.");
            }

            await transaction.CommitAsync(ct);
            return Outcome<RoleDto>.Ok(RoleDto.From(role));
        }
    }

    public static void Map(RouteGroupBuilder roles) =>
        roles.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("role", _ => TypedResults.NoContent()))
            .WithName("DeleteRole")
            .WithSummary("Delete a role (admins only, If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
