using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>The deals of a company or with a contact that the caller may read, for the record's page (open ones first, then by close date).</summary>
public static class ListRecordDeals
{
    public const int Max = 50;
    public const string Company = "company";
    public const string Contact = "contact";

    /// <param name="Stage">The stage's label in English and Chinese.</param>
    public sealed record Item(Guid Id, string Name, decimal? Amount, string Currency, DateOnly? CloseDate, string Status, string Stage, string? StageZh);

    public sealed class Handler(RapportDbContext db, ListDeals.Handler list)
    {
        public async Task<IReadOnlyList<Item>> HandleAsync(string entityType, Guid recordId, CancellationToken ct)
        {
            var source = await list.SourceAsync(false, ct);
            var deals = entityType == Company ? source.Query.Where(d => d.CompanyId == recordId)
                : entityType == Contact ? source.Query.Where(d => d.Contacts.Any(c => c.ContactId == recordId))
                : source.Query.Where(_ => false);
            var hidesAmount = source.Policy.IsHidden("amount");
            var found = await deals.OrderBy(d => d.Status != StageKinds.Open).ThenBy(d => d.CloseDate == null).ThenBy(d => d.CloseDate).ThenBy(d => d.Id).Take(Max)
                .Join(db.Set<PipelineStage>(), d => d.StageId, s => s.Id,
                    (d, s) => new Item(d.Id, d.Name, d.Amount, d.Currency, d.CloseDate, d.Status, s.Label, s.LabelZh))
                .ToListAsync(ct);
            return hidesAmount ? [.. found.Select(i => i with { Amount = null })] : found;
        }
    }
}
