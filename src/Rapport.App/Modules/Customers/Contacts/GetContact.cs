using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

public static class GetContact
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<ContactDto?> HandleAsync(Guid id, CancellationToken ct)
        {
            var contact = await access.LevelAsync(Contact.TypeName, AccessAction.Read, ct) == AccessLevel.All
                ? await ReadInWorkspace.For(db)(db, id, ct)
                : await (await access.ScopeAsync(db.Set<Contact>().AsNoTracking().Include(c => c.Companies), Contact.TypeName, AccessAction.Read, ct))
                    .SingleOrDefaultAsync(c => c.Id == id, ct);
            return contact is null ? null : ContactDto.From(contact, await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct),
                await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct));
        }
    }

    /// <summary>
    /// A contact of the current workspace (its query filter) with its companies, for a reader whose roles reach every contact:
    /// the most common read, compiled once (otherwise EF Core works out its shape on every request).
    /// </summary>
    private static readonly CompiledQuery<Func<RapportDbContext, Guid, CancellationToken, Task<Contact?>>> ReadInWorkspace =
        new(() => EF.CompileAsyncQuery((RapportDbContext db, Guid id, CancellationToken ct) =>
            db.Set<Contact>().AsNoTracking().Include(c => c.Companies).SingleOrDefault(c => c.Id == id)));

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, IAccessControl access, RapportDbContext db, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } contact)
                {
                    return await Tombstones.MergedIntoAsync<Contact>(db, access, Contact.TypeName, id, ct) is { } survivor
                        ? Problems.MergedProblem("contact", survivor, $"/api/v1/contacts/{survivor}")
                        : Problems.NotFoundProblem("contact");
                }

                ETags.Set(http.Response, contact.Version);
                return FieldMask.Json(http, contact, await access.FieldsAsync(Contact.TypeName, ct));
            })
            .WithName("GetContact")
            .WithSummary("Read a contact")
            .Produces<ContactDto>()
            .WithDescription("A merged id answers 404 of type https://rapport.dev/problems/merged, with mergedIntoId and location naming the survivor.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
