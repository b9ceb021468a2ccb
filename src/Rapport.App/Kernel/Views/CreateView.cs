using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>Saves a view: private for anyone who may read the entity, shared with the workspace for holders of <c>views.share</c>.</summary>
public static class CreateView
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, IEnumerable<IViewSchemaSource> schemas, TimeProvider clock)
    {
        public async Task<Outcome<SavedViewDto>> HandleAsync(ViewFields fields, CancellationToken ct)
        {
            if (await schemas.FindAsync(access, fields.Entity, ct) is not { } schema)
            {
                return Outcome<SavedViewDto>.Invalid("entity", $"entity must be one of: {string.Join(", ", schemas.Select(s => s.Entity))}.");
            }

            if (await SavedViewRules.RefuseAsync(access, fields.Entity, fields.Shared, ct) is { } refused)
            {
                return refused;
            }

            var errors = SavedViewRules.Check(fields, schema, await access.FieldsAsync(fields.Entity, ct), clock.GetUtcNow());
            var owner = currentUser.UserId!.Value;
            var name = fields.Name.Trim();
            if (errors.Count == 0 && await db.Set<SavedView>().AnyAsync(v => v.EntityType == fields.Entity && v.OwnerId == owner && v.Name == name, ct))
            {
                errors["name"] = ["You already have a view with this name."];
            }

            if (errors.Count > 0)
            {
                return Outcome<SavedViewDto>.Invalid(errors);
            }

            var view = SavedView.Create(fields.Entity, owner, fields);
            db.Add(view);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<SavedViewDto>.Invalid("name", "You already have a view with this name.");
            }

            return Outcome<SavedViewDto>.Ok(SavedViewDto.From(view, canEdit: true));
        }
    }

    public static void Map(RouteGroupBuilder views) =>
        views.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ViewFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<SavedViewDto>.Invalid(fields.Errors);
                return outcome.ToHttp("view", v =>
                {
                    ETags.Set(response, v.Version);
                    return TypedResults.Created($"/api/v1/views/{v.Id}", v);
                });
            })
            .WithName("CreateView")
            .WithSummary("Save a view (filter, sort, columns, table or kanban)")
            .WithDescription("filter: a filter tree of the list endpoint's filter language (filterVersion 1); sort like the list's sort; " +
                             "columns: column keys in order; layout table or kanban with groupBy a single-select field such as lifecycleStage. " +
                             "A filter, sort or column the entity does not have is a 400 naming it. shared=true needs the views.share capability.")
            .Accepts<ViewFields>("application/json")
            .Produces<SavedViewDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
