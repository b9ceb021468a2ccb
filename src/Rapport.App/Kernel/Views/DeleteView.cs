using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>Deletes a saved view (If-Match): one's own private view, or a shared one with <c>views.share</c>. The records it showed are untouched.</summary>
public static class DeleteView
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<SavedViewDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<SavedViewDto>.IfMatchRequired();
            }

            var view = await db.Set<SavedView>().SingleOrDefaultAsync(v => v.Id == id, ct);
            if (view is null || !view.VisibleTo(currentUser.UserId))
            {
                return Outcome<SavedViewDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != view.Version)
            {
                return Outcome<SavedViewDto>.Stale();
            }

            if (!await SavedViewRights.MayEditAsync(view, access, currentUser, ct))
            {
                return Outcome<SavedViewDto>.Forbidden($"Deleting a view shared with the workspace needs the \"{SavedViewRights.Share}\" capability of a role.");
            }

            db.Remove(view);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<SavedViewDto>.Stale();
            }

            return Outcome<SavedViewDto>.Ok(SavedViewDto.From(view, canEdit: true));
        }
    }

    public static void Map(RouteGroupBuilder views) =>
        views.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("view", _ => TypedResults.NoContent()))
            .WithName("DeleteView")
            .WithSummary("Delete a saved view (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
