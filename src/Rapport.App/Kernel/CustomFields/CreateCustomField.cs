using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.CustomFields;

public static class CreateCustomField
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<CustomFieldDto>> HandleAsync(CustomFieldSpec spec, CancellationToken ct)
        {
            if (!await access.IsAdministratorAsync(ct))
            {
                return Outcome<CustomFieldDto>.Forbidden("Only administrators manage custom fields.");
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            var (storedDefault, errors) = await CustomFieldRules.CheckAsync(db, spec, null, workspaceId, ct);
            if (errors.Count > 0)
            {
                return Outcome<CustomFieldDto>.Invalid(errors);
            }

            var position = spec.Position ?? await db.Set<CustomField>().CountAsync(f => f.EntityType == spec.EntityType, ct);
            var field = CustomField.Create(workspaceId, spec.EntityType!, spec.Type!.Value, position);
            field.Change(spec, spec.Type.Value, storedDefault);
            db.Add(field);

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Values left in records by a field of this key purged from the trash long ago must not reappear under the new one.
            foreach (var stale in await CustomFieldConversion.RecordsWithValueAsync(db, field, ct))
            {
                var values = CustomValues.Parse(stale.CustomFields);
                values.Remove(field.Key);
                stale.SetCustomFields(CustomValues.Write(values));
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<CustomFieldDto>.Invalid("key", $"Another {spec.EntityType} field already has the key \"{spec.Key}\" (perhaps one in the trash).");
            }

            await CustomFieldIndexes.SyncAsync(db, field, null, ct);
            await transaction.CommitAsync(ct);
            return Outcome<CustomFieldDto>.Ok(CustomFieldDto.From(field));
        }
    }

    public static void Map(RouteGroupBuilder fields) =>
        fields.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var spec = JsonBody.Read<CustomFieldSpec>(body);
                var outcome = spec.IsOk ? await handler.HandleAsync(spec.Value!, ct) : Outcome<CustomFieldDto>.Invalid(spec.Errors);
                return outcome.ToHttp("customField", f =>
                {
                    ETags.Set(response, f.Version);
                    return TypedResults.Created($"/api/v1/custom-fields/{f.Id}", f);
                });
            })
            .WithName("CreateCustomField")
            .WithSummary("Define a custom field (admins only)")
            .WithDescription("type: text, longText, number, currency, percent, date, dateTime, yesNo, singleSelect, multiSelect, url, email, phone, link. " +
                             "key: the API name (records carry the value under custom.<key>; it cannot change later). " +
                             "sortable or unique fields get an expression index of their own. Accepts Idempotency-Key.")
            .Accepts<CustomFieldSpec>("application/json")
            .Produces<CustomFieldDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
