using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Demo;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Demo;

/// <summary>Demo deals across the default pipeline's stages, with the demo companies, written through the same handlers as the API.</summary>
public sealed class SeedDemoDeals : IDemoSeeder
{
    private static readonly (string Name, decimal? Amount, string? Currency, int CloseInDays, string Stage, string? LostReason)[] Deals =
    [
        ("Office fit-out 2027", 48_000m, null, 60, "qualification", null),
        ("ERP 系统升级", 320_000m, "CNY", 45, "needs-analysis", null),
        ("Fleet telematics pilot", 25_500m, null, 30, "proposal", null),
        ("年度办公用品采购", 86_000m, "CNY", 20, "proposal", null),
        ("Cold-chain logistics contract", 150_000m, null, 14, "negotiation", null),
        ("Clinic scheduling software", 12_000m, null, -5, "won", null),
        ("工厂安全巡检系统", 95_000m, "CNY", -10, "lost", "competitor"),
        ("Warehouse robotics study", null, null, 90, "qualification", null),
    ];

    public int Order => 30;

    public async Task SeedAsync(IServiceProvider services, DemoWorkspace demo, CancellationToken ct)
    {
        var operations = services.GetRequiredService<Kernel.Operations>();
        var admin = ViewAs.Member(demo.AdminId, demo.WorkspaceId);
        var pipeline = (await operations.RunAsync<ListPipelines.Handler, Outcome<IReadOnlyList<PipelineDto>>>(admin, h => h.HandleAsync(ct))).Value![0];
        var companies = await operations.RunAsync<RecordDirectory, List<Guid>>(admin, async d =>
            await (await d.Find(DealRules.CompanyType)!.ReachableAsync(AccessAction.Read, ct)).OrderBy(id => id).ToListAsync(ct));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < Deals.Length; i++)
        {
            var d = Deals[i];
            var fields = new DealFields(d.Name, d.Amount, d.Currency, today.AddDays(d.CloseInDays), pipeline.Id, pipeline.Stages.Single(s => s.Key == d.Stage).Id,
                d.LostReason, companies.Count > 0 ? companies[i % companies.Count] : null, OwnerId: demo.Owners[i % demo.Owners.Count],
                NextStep: d.Stage is "won" or "lost" ? null : "Call to agree the next meeting", Competitors: i % 3 == 0 ? ["Globex"] : null);
            await operations.RunAsync<CreateDeal.Handler, Outcome<DealDto>>(admin, h => h.HandleAsync(fields, ct));
        }
    }
}
