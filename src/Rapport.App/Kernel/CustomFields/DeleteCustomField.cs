using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.CustomFields;

/// <summary>Moves a definition to the trash: the field disappears from forms, lists and answers; record values stay stored until it is purged.</summary>
public static class DeleteCustomField
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock)
    {
        public async Task<Outcome<CustomFieldDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            var (field, refusal) = await CustomFieldRules.LoadForChangeAsync(db, access, id, ifMatch, ct);
            if (field is null)
            {
                return refusal!;
            }

            var before = CustomFieldIndexes.Snapshot(field);
            field.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
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
        fields.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("customField", _ => TypedResults.NoContent()))
            .WithName("DeleteCustomField")
            .WithSummary("Delete a custom field (admins only)")
            .WithDescription("Needs If-Match. The field leaves forms, lists and answers at once; its key stays taken while it is in the trash.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
