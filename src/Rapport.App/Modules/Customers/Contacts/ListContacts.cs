using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>Lists contacts with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListContacts
{
    public const string DefaultSort = "-createdAt";

    public static readonly FieldCatalog<Contact> Fields = new FieldCatalog<Contact>()
        .Text("firstName", c => c.FirstName)
        .Text("lastName", c => c.LastName)
        .Text("jobTitle", c => c.JobTitle)
        .Date("birthday", c => c.Birthday)
        .Id("id", c => c.Id)
        .Id("companyId", c => c.CompanyId)
        .Id("ownerId", c => c.OwnerId)
        .Id("teamId", c => c.TeamId)
        .Text("lifecycleStage", c => c.LifecycleStage)
        .Text("source", c => c.Source)
        .Text("preferredLanguage", c => c.PreferredLanguage)
        .Text("address.city", c => c.City)
        .Text("address.region", c => c.Region)
        .Text("address.postalCode", c => c.PostalCode)
        .Text("address.country", c => c.Country)
        .Instant("createdAt", c => c.CreatedAt)
        .Instant("updatedAt", c => c.UpdatedAt)
        .Instant("deletedAt", c => c.DeletedAt);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<ContactDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var source = await SourceAsync(trash, ct);
            var page = await KeysetPager.PageAsync(source.Query, request, source.Fields, trash ? "-deletedAt" : DefaultSort, clock.GetUtcNow(), ct);
            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct);
            return new Page<ContactDto>([.. page.Data.Select(c => ContactDto.From(c, familyFirst, source.Custom))], page.NextCursor);
        }

        /// <summary>How many readable contacts matching <paramref name="filter"/> have each value of a single-select field (kanban column counts).</summary>
        public async Task<IReadOnlyDictionary<string, int>> CountByAsync(string? filter, string groupBy, CancellationToken ct)
        {
            var source = await SourceAsync(false, ct);
            return await GroupCounts.CountAsync(source.Query, filter, source.Fields, groupBy, clock.GetUtcNow(), ct);
        }

        /// <summary>
        /// The contacts the caller may read (or the trash), with their companies unless <paramref name="companies"/> is false
        /// (an export without the companyIds column), and the fields they may filter and sort on; exports page through the same.
        /// </summary>
        public async Task<ListSource<Contact>> SourceAsync(bool trash, CancellationToken ct, bool companies = true)
        {
            var query = db.Set<Contact>().AsNoTracking();
            if (companies)
            {
                query = query.Include(c => c.Companies);
            }

            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null && c.MergedIntoId == null);
            }

            query = await access.ScopeAsync(query, Contact.TypeName, AccessAction.Read, ct);
            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var all = custom.Extend(Fields);
            return new ListSource<Contact>(query, policy.Hidden.Count == 0 ? all : all.Without(policy.IsHidden), custom, policy);
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
                FieldMask.Json(http, await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct), await access.FieldsAsync(Contact.TypeName, ct)))
            .WithName("ListContacts")
            .WithSummary("List contacts")
            .WithDescription("filter: a JSON filter tree over firstName, lastName, jobTitle, birthday, companyId, ownerId, teamId, lifecycleStage, source, " +
                             "preferredLanguage, createdAt, updatedAt and custom fields as custom.<key>. " +
                             "sort: e.g. lastName,firstName (default -createdAt). limit 1–200, cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<ContactDto>>()
            .ProducesValidationProblem();
}
