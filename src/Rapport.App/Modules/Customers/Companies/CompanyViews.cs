using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Views;

namespace Rapport.Modules.Customers.Companies;

/// <summary>What saved views of companies may use: the list's filter fields, these columns, the lifecycle stage as a kanban field, and the workspace's custom fields.</summary>
public sealed class CompanyViews(RapportDbContext db) : IViewSchemaSource
{
    public static readonly ViewColumn[] Columns =
    [
        new("name", "Name"), new("domain", "Domain"), new("industry", "Industry"), new("address.city", "City"), new("address.country", "Country"),
        new("phone", "Phone"), new("lifecycleStage", "LifecycleStage"), new("ownerId", "Owner"), new("website", "Website", false),
        new("size", "Size", false), new("annualRevenue", "AnnualRevenue", false, Export: ["annualRevenue.amount", "annualRevenue.currency"]), new("tags", "Tags", false), new("updatedAt", "Updated"),
    ];

    public static readonly ViewOption[] Stages = [.. Company.LifecycleStages.Select(s => new ViewOption(s, "lifecycle." + s))];

    public static readonly ViewGroupField[] GroupFields = [new("lifecycleStage", "LifecycleStage", Stages)];

    public static readonly ViewFilterField[] FilterFields =
    [
        new("name", "Name"), new("domain", "Domain"), new("industry", "Industry"), new("phone", "Phone"), new("address.city", "City"),
        new("address.country", "Country"), new("lifecycleStage", "LifecycleStage", Stages), new("size", "Size", [.. Company.Sizes.Select(s => new ViewOption(s, s))]),
    ];

    public string Entity => Company.TypeName;

    public async Task<ViewSchema> SchemaAsync(CancellationToken ct) => CustomFieldViews.Schema(
        Company.TypeName, ListCompanies.Fields, await CustomFieldSet.LoadAsync(db, Company.TypeName, ct), "name", Columns, GroupFields, FilterFields);
}
