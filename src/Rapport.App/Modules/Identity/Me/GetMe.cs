using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Me;

/// <summary>The signed-in user and the workspace they act in.</summary>
public static class GetMe
{
    public sealed record Response(Guid Id, string Email, string DisplayName, string Language, Guid WorkspaceId, string WorkspaceName);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser)
    {
        public async Task<Response?> HandleAsync(CancellationToken ct)
        {
            var workspaceId = currentUser.WorkspaceId;
            return await db.Set<User>().Where(u => u.Id == currentUser.UserId)
                .Select(u => new Response(u.Id, u.Email, u.DisplayName, u.Language, workspaceId!.Value,
                    db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).Single()))
                .SingleOrDefaultAsync(ct);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/me", async Task<IResult> (Handler handler, CancellationToken ct) =>
                await handler.HandleAsync(ct) is { } me ? TypedResults.Ok(me) : TypedResults.Unauthorized())
            .WithName("GetMe")
            .WithSummary("The current user and workspace")
            .Produces<Response>();
}
