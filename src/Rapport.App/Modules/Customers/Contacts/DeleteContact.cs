using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>Moves a contact to the trash (If-Match) or brings it back (<c>restore</c>).</summary>
public static class DeleteContact
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<ContactDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct)
        {
            if (!ifMatch.Present && !restore)
            {
                return Outcome<ContactDto>.IfMatchRequired();
            }

            var (contact, refusal) = await ContactRules.LoadForAsync(db, access, id, AccessAction.Delete, restore, ct);
            if (contact is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != contact.Version)
            {
                return Outcome<ContactDto>.Stale();
            }

            if (restore)
            {
                contact.Restore();
            }
            else
            {
                contact.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ContactDto>.Stale();
            }

            return Outcome<ContactDto>.Ok(ContactDto.From(contact));
        }
    }

    public static void Map(RouteGroupBuilder contacts)
    {
        contacts.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), false, ct)).ToHttp("contact", _ => TypedResults.NoContent()))
            .WithName("DeleteContact")
            .WithSummary("Move a contact to the trash (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        contacts.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), true, ct)).ToHttp("contact in the trash", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return TypedResults.Ok(c);
                }))
            .WithName("RestoreContact")
            .WithSummary("Restore a contact from the trash")
            .Produces<ContactDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
