using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Kernel.Views;
using Rapport.Modules.Identity.Contracts;

namespace Rapport.Modules.Sales.Leads;

/// <summary>What saved views of leads may use: the list's filter fields (statuses, ratings, sources and owners as choices), these columns and the custom fields.</summary>
public sealed class LeadViews(RapportDbContext db, IMemberDirectory members) : IViewSchemaSource
{
    public static readonly ViewColumn[] Columns =
    [
        new("name", "Name", Field: "lastName", SortBy: "lastName"), new("companyName", "CompanyName"), new("status", "LeadStatus"), new("rating", "Rating"),
        new("score", "Score"), new("source", "Source", false), new("emails", "Email", false), new("country", "Country", false), new("territory", "Territory", false),
        new("ownerId", "Owner"), new("updatedAt", "Updated"),
    ];

    public string Entity => Lead.TypeName;

    public async Task<ViewSchema> SchemaAsync(CancellationToken ct)
    {
        var owners = await members.DisplayNamesAsync(ct);
        ViewFilterField[] filters =
        [
            new("lastName", "LastName"), new("companyName", "CompanyName"),
            new("status", "LeadStatus", [.. Lead.Statuses.Select(s => new ViewOption(s, "leadStatus." + s))]),
            new("rating", "Rating", [.. Lead.Ratings.Select(r => new ViewOption(r, "leadRating." + r))]),
            new("source", "Source", [.. Lead.Sources.Select(s => new ViewOption(s, "leadSource." + s))]),
            new("ownerId", "Owner", [.. owners.OrderBy(o => o.Value, StringComparer.CurrentCulture).Select(o => new ViewOption(o.Key.ToString(), o.Value))]),
            new("industry", "Industry"), new("country", "Country"), new("territory", "Territory"),
        ];
        return CustomFieldViews.Schema(Lead.TypeName, ListLeads.Fields, await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct), ListLeads.DefaultSort, Columns, [], filters);
    }
}

/// <summary>Lets notes and files link to leads, and the lead page show a timeline (see <see cref="IRecordType"/>).</summary>
internal sealed class LeadRecords(RapportDbContext db, IAccessControl access) : OwnedRecordType<Lead>(db, access, Lead.TypeName)
{
    protected override async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IQueryable<Lead> records, CancellationToken ct) =>
        (await records.Select(l => new { l.Id, l.FirstName, l.LastName, l.CompanyName }).ToListAsync(ct))
            .ToDictionary(l => l.Id, l => Lead.NameOf(l.FirstName, l.LastName, l.CompanyName));

    public override string Pages => "/leads";
}
