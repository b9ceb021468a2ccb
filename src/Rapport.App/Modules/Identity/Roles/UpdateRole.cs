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

/// <summary>Changes a role (merge patch, If-Match). Taking the administrator flag off the last administrators' role is refused.</summary>
public static class UpdateRole
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, AccessCatalog catalog)
    {
        public async Task<Outcome<RoleDto>> HandleAsync(Guid id, Func<RoleFields, Outcome<RoleFields>> change, IfMatch ifMatch, CancellationToken ct)
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

            var fields = change(new RoleFields(role.Name, role.IsAdministrator, role.Permissions, role.Fields, role.Capabilities));
            if (!fields.IsOk)
            {
                return Outcome<RoleDto>.Invalid(fields.Errors);
            }

            if (new RoleFieldsValidator(catalog).Validate(fields.Value!) is { IsValid: false } invalid)
            {
                return Outcome<RoleDto>.Invalid(invalid);
            }

            if (await db.Set<Role>().AnyAsync(r => r.Id != id && r.Name == fields.Value!.Name.Trim(), ct))
            {
                return Outcome<RoleDto>.Invalid("name", "Another role already has this name.");
            }

            role.Change(fields.Value!.Name, fields.Value.IsAdministrator, fields.Value.Permissions ?? [], fields.Value.Fields ?? role.Fields,
                fields.Value.Capabilities ?? role.Capabilities);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<RoleDto>.Stale();
            }

            if (await Administrators.CountAsync(db, ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return Outcome<RoleDto>.Conflict("The workspace needs at least one administrator: this change would leave none.");
            }

            await transaction.CommitAsync(ct);
            return Outcome<RoleDto>.Ok(RoleDto.From(role));
        }
    }

    public static void Map(RouteGroupBuilder roles) =>
        roles.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, current => JsonBody.Merge(current, body), ETags.ReadIfMatch(http.Request), ct)).ToHttp("role", r =>
                {
                    ETags.Set(http.Response, r.Version);
                    return TypedResults.Ok(r);
                }))
            .WithName("UpdateRole")
            .WithSummary("Change a role (admins only; JSON merge patch, If-Match)")
            .Accepts<RoleFields>("application/merge-patch+json", "application/json")
            .Produces<RoleDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
