using Rapport.Kernel.Views;

namespace Rapport.Modules.Customers.Companies;

/// <summary>What saved views of companies may use: the list's filter fields, these columns, and the lifecycle stage as a kanban field.</summary>
public sealed class CompanyViews : IViewSchemaSource
{
    public static readonly ViewColumn[] Columns =
    [
        new("name", "Name"), new("domain", "Domain"), new("industry", "Industry"), new("address.city", "City"), new("address.country", "Country"),
        new("phone", "Phone"), new("lifecycleStage", "LifecycleStage"), new("ownerId", "Owner"), new("website", "Website", false),
        new("size", "Size", false), new("annualRevenue", "AnnualRevenue", false), new("tags", "Tags", false), new("updatedAt", "Updated"),
    ];

    public static readonly ViewOption[] Stages = [.. Company.LifecycleStages.Select(s => new ViewOption(s, "lifecycle." + s))];

    public static readonly ViewGroupField[] GroupFields = [new("lifecycleStage", "LifecycleStage", Stages)];

    public static readonly ViewFilterField[] FilterFields =
    [
        new("name", "Name"), new("domain", "Domain"), new("industry", "Industry"), new("phone", "Phone"), new("address.city", "City"),
        new("address.country", "Country"), new("lifecycleStage", "LifecycleStage", Stages), new("size", "Size", [.. Company.Sizes.Select(s => new ViewOption(s, s))]),
    ];

    public string Entity => Company.TypeName;

    public Task<ViewSchema> SchemaAsync(CancellationToken ct) =>
        Task.FromResult(ViewSchema.Create(Company.TypeName, ListCompanies.Fields, "name", Columns, GroupFields, FilterFields));
}
