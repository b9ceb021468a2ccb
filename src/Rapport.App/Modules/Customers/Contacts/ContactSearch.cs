using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Search;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>What global search finds contacts by, and how it shows them.</summary>
internal static class ContactSearch
{
    public static IServiceCollection AddContactSearch(this IServiceCollection services) =>
        services.AddSearchSource<Contact, Titles>(Contact.TypeName, "/contacts", s => s
            .Text("name", c => ContactDto.NameOf(c.FirstName, c.LastName, familyFirst: false), "firstName", "lastName")
            .Emails("emails", c => c.Emails)
            .Phones("phones", c => c.Phones)
            .Text("jobTitle", c => c.JobTitle)
            .Texts("tags", c => c.Tags));

    /// <summary>The name in the workspace's order; below it the job title or else the primary email, if the caller may see them.</summary>
    internal sealed class Titles(RapportDbContext db, ICurrentUser user) : ISearchTitles<Contact>
    {
        public async Task<IReadOnlyList<SearchTitle>> TitlesAsync(IQueryable<Contact> records, FieldPolicy fields, CancellationToken ct)
        {
            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, user.WorkspaceId!.Value, ct);
            var contacts = await records.Select(c => new { c.Id, c.FirstName, c.LastName, c.JobTitle, c.Emails }).ToListAsync(ct);
            return [.. contacts.Select(c => new SearchTitle(
                c.Id,
                ContactDto.NameOf(fields.IsHidden("firstName") ? null : c.FirstName, fields.IsHidden("lastName") ? null : c.LastName, familyFirst),
                (fields.IsHidden("jobTitle") ? null : c.JobTitle) ?? (fields.IsHidden("emails") ? null : c.Emails.FirstOrDefault())))];
        }
    }
}
