using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Views;
using Rapport.Modules.Identity.Contracts;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>What saved views of deals may use: the list's filter fields (stages, pipelines and owners as choices), these columns and the custom fields.</summary>
public sealed class DealViews(RapportDbContext db, IMemberDirectory members) : IViewSchemaSource
{
    public const string DefaultSort = "-createdAt";

    public static readonly ViewColumn[] Columns =
    [
        new("name", "Name"), new("amount", "Amount", Export: ["amount", "currency"]), new("stageId", "Stage"), new("closeDate", "CloseDate"),
        new("companyId", "Company"), new("ownerId", "Owner"), new("status", "DealStatus", false), new("nextStep", "NextStep", false),
        new("pipelineId", "Pipeline", false), new("competitors", "Competitors", false), new("updatedAt", "Updated"),
    ];

    public static readonly IReadOnlyList<ViewOption> Statuses = [.. StageKinds.All.Select(k => new ViewOption(k, "dealStatus." + k))];

    public string Entity => Deal.TypeName;

    public async Task<ViewSchema> SchemaAsync(CancellationToken ct)
    {
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        var pipelines = await PipelineRules.WithStages(db).AsNoTracking().OrderBy(p => p.Position).ToListAsync(ct);
        var owners = await members.DisplayNamesAsync(ct);
        ViewFilterField[] filters =
        [
            new("name", "Name"), new("nextStep", "NextStep"), new("status", "DealStatus", Statuses),
            new("stageId", "Stage", [.. pipelines.SelectMany(p => p.CurrentStages.Select(s =>
                new ViewOption(s.Id.ToString(), pipelines.Count > 1 ? $"{p.NameIn(chinese)} · {s.LabelIn(chinese)}" : s.LabelIn(chinese))))]),
            new("pipelineId", "Pipeline", [.. pipelines.Select(p => new ViewOption(p.Id.ToString(), p.NameIn(chinese)))]),
            new("ownerId", "Owner", [.. owners.OrderBy(o => o.Value, StringComparer.CurrentCulture).Select(o => new ViewOption(o.Key.ToString(), o.Value))]),
            new("currency", "Currency"),
        ];
        return CustomFieldViews.Schema(Deal.TypeName, ListDeals.Fields, await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct), DefaultSort, Columns, [], filters);
    }
}
