using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.ApiKeys;

/// <summary>Revokes one of your API keys, or (administrators) any member's key in the workspace; it stops working at once.</summary>
public static class RevokeApiKey
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<ApiKeyDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == id && k.WorkspaceId == currentUser.WorkspaceId, ct);
            if (key is null || key.UserId != currentUser.UserId && !await access.IsAdministratorAsync(ct))
            {
                return Outcome<ApiKeyDto>.NotFound();
            }

            key.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Outcome<ApiKeyDto>.Ok(ApiKeyDto.From(key));
        }
    }

    public static void Map(RouteGroupBuilder keys) =>
        keys.MapDelete("/{id:guid}", async (Guid id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("API key", _ => TypedResults.NoContent()))
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
