using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>
/// Changes a saved view (If-Match). Each property sent replaces the stored one — the filter as a whole,
/// never merged into the old tree. Another member's private view is a 404; a shared view needs <c>views.share</c>.
/// </summary>
public static class UpdateView
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, IEnumerable<IViewSchemaSource> schemas, TimeProvider clock)
    {
        public Task<Outcome<SavedViewDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => Replace(current, patch), ct);

        public Task<Outcome<SavedViewDto>> HandleAsync(Guid id, ViewFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, _ => Outcome<ViewFields>.Ok(fields), ct);

        private async Task<Outcome<SavedViewDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<ViewFields, Outcome<ViewFields>> change, CancellationToken ct)
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
                return Outcome<SavedViewDto>.Forbidden($"Changing a view shared with the workspace needs the \"{SavedViewRights.Share}\" capability of a role.");
            }

            var current = SavedViewDto.From(view, canEdit: true).Fields;
            var fields = change(current);
            if (!fields.IsOk)
            {
                return Outcome<SavedViewDto>.Invalid(fields.Errors);
            }

            if (fields.Value!.Entity != view.EntityType)
            {
                return Outcome<SavedViewDto>.Invalid("entity", "A view's entity type cannot change; save a new view instead.");
            }

            if (await SavedViewRules.RefuseAsync(access, view.EntityType, fields.Value.Shared, ct) is { } refused)
            {
                return refused;
            }

            var schema = (await schemas.FindAsync(access, view.EntityType, ct))!;
            var errors = SavedViewRules.Check(fields.Value, schema, await access.FieldsAsync(view.EntityType, ct), clock.GetUtcNow());
            var name = fields.Value.Name.Trim();
            if (errors.Count == 0 && await db.Set<SavedView>().AnyAsync(v => v.Id != id && v.EntityType == view.EntityType && v.OwnerId == view.OwnerId && v.Name == name, ct))
            {
                errors["name"] = ["The view's owner already has a view with this name."];
            }

            if (errors.Count > 0)
            {
                return Outcome<SavedViewDto>.Invalid(errors);
            }

            view.Change(fields.Value);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<SavedViewDto>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<SavedViewDto>.Invalid("name", "The view's owner already has a view with this name.");
            }

            return Outcome<SavedViewDto>.Ok(SavedViewDto.From(view, canEdit: await SavedViewRights.MayEditAsync(view, access, currentUser, ct)));
        }

        /// <summary>Each property of the patch replaces the current one (a filter tree is replaced, not merged).</summary>
        private static Outcome<ViewFields> Replace(ViewFields current, JsonElement patch)
        {
            if (patch.ValueKind != JsonValueKind.Object)
            {
                return Outcome<ViewFields>.Invalid("body", "The body must be a JSON object.");
            }

            var target = JsonSerializer.SerializeToNode(current, JsonBody.Strict)!.AsObject();
            foreach (var property in patch.EnumerateObject())
            {
                target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }

            return JsonBody.Read<ViewFields>(JsonSerializer.SerializeToElement(target, JsonBody.Strict));
        }
    }

    public static void Map(RouteGroupBuilder views) =>
        views.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("view", v =>
                {
                    ETags.Set(http.Response, v.Version);
                    return TypedResults.Ok(v);
                }))
            .WithName("UpdateView")
            .WithSummary("Change a saved view (If-Match)")
            .WithDescription("Each property sent replaces the stored one; the filter is replaced as a whole. 428 without If-Match, 412 when stale. " +
                             "Another member's private view is a 404; a shared view (or sharing one) needs the views.share capability.")
            .Accepts<ViewFields>("application/merge-patch+json", "application/json")
            .Produces<SavedViewDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
