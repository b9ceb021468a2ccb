using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.CustomFields;

/// <summary>
/// Changes a definition (JSON merge patch, If-Match). A new type or fewer options are accepted only when every
/// existing value fits them; values are then rewritten in the new form in the same transaction (audited per record).
/// </summary>
public static class UpdateCustomField
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public Task<Outcome<CustomFieldDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), ct);

        public Task<Outcome<CustomFieldDto>> HandleAsync(Guid id, CustomFieldSpec spec, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, _ => Outcome<CustomFieldSpec>.Ok(spec), ct);

        private async Task<Outcome<CustomFieldDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<CustomFieldSpec, Outcome<CustomFieldSpec>> change, CancellationToken ct)
        {
            var (field, refusal) = await CustomFieldRules.LoadForChangeAsync(db, access, id, ifMatch, ct);
            if (field is null)
            {
                return refusal!;
            }

            var spec = change(CustomFieldDto.From(field).ToSpec());
            if (!spec.IsOk)
            {
                return Outcome<CustomFieldDto>.Invalid(spec.Errors);
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            var (storedDefault, errors) = await CustomFieldRules.CheckAsync(db, spec.Value!, field, workspaceId, ct);
            if (errors.Count > 0)
            {
                return Outcome<CustomFieldDto>.Invalid(errors);
            }

            var before = CustomFieldIndexes.Snapshot(field);
            field.Change(spec.Value!, spec.Value!.Type!.Value, storedDefault);
            var valuesMayChange = before.Type != field.Type || !before.Options.Select(o => o.Key).ToHashSet().IsSubsetOf(field.Options.Select(o => o.Key));
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (valuesMayChange || field.Unique && !before.Unique)
            {
                var records = await CustomFieldConversion.RecordsWithValueAsync(db, field, ct);
                var country = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
                var (misfits, examples) = CustomFieldConversion.Convert(records, field, country);
                if (misfits > 0)
                {
                    return Outcome<CustomFieldDto>.Invalid(valuesMayChange && before.Type != field.Type ? "type" : "options",
                        $"{misfits} {field.EntityType}(s) hold values that would not fit ({string.Join(", ", examples)}). Change or clear those values first.");
                }

                if (field.Unique && !before.Unique && CustomFieldConversion.HasRepeats(records, field))
                {
                    return Outcome<CustomFieldDto>.Invalid("unique", $"Some {field.EntityType}s share a value of this field, so it cannot become unique. Use the duplicate finder or change those values first.");
                }
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<CustomFieldDto>.Stale();
            }

            await CustomFieldIndexes.SyncAsync(db, field, before, ct);
            await transaction.CommitAsync(ct);
            return Outcome<CustomFieldDto>.Ok(CustomFieldDto.From(field));
        }
    }

    public static void Map(RouteGroupBuilder fields) =>
        fields.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct);
                return outcome.ToHttp("customField", f =>
                {
                    ETags.Set(http.Response, f.Version);
                    return TypedResults.Ok(f);
                });
            })
            .WithName("UpdateCustomField")
            .WithSummary("Change a custom field (admins only, JSON merge patch)")
            .WithDescription("Key and entity type cannot change. Changing the type or removing options is refused when existing values would not convert. Needs If-Match.")
            .Accepts<CustomFieldSpec>("application/merge-patch+json", "application/json")
            .Produces<CustomFieldDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
