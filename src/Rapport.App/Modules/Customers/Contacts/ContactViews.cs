using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Views;
using Rapport.Modules.Customers.Companies;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>What saved views of contacts may use: the list's filter fields, these columns, the lifecycle stage as a kanban field, and the workspace's custom fields.</summary>
public sealed class ContactViews(RapportDbContext db) : IViewSchemaSource
{
    public const string DefaultSort = "lastName,firstName";

    public static readonly ViewColumn[] Columns =
    [
        new("name", "Name", Field: "lastName", SortBy: DefaultSort, Export: ["firstName", "lastName"]), new("emails", "Email"), new("phones", "Phone"),
        new("jobTitle", "JobTitle"), new("companyId", "Company", Export: ["company"]), new("lifecycleStage", "LifecycleStage"), new("ownerId", "Owner"), new("source", "Source", false),
        new("preferredLanguage", "PreferredLanguage", false), new("birthday", "Birthday", false), new("tags", "Tags", false), new("updatedAt", "Updated"),
    ];

    public static readonly ViewGroupField[] GroupFields = [new("lifecycleStage", "LifecycleStage", CompanyViews.Stages)];

    public static readonly ViewFilterField[] FilterFields =
    [
        new("lastName", "LastName"), new("firstName", "FirstName"), new("jobTitle", "JobTitle"), new("source", "Source"),
        new("lifecycleStage", "LifecycleStage", CompanyViews.Stages), new("preferredLanguage", "PreferredLanguage", [.. Contact.Languages.Select(l => new ViewOption(l, l))]),
    ];

    public string Entity => Contact.TypeName;

    public async Task<ViewSchema> SchemaAsync(CancellationToken ct) => CustomFieldViews.Schema(
        Contact.TypeName, ListContacts.Fields, await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct), DefaultSort, Columns, GroupFields, FilterFields);
}
