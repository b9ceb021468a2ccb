using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>What the printable quote shows: the quote, who it is from (the workspace's name, address and logo) and for (the deal's company).</summary>
public static class GetQuotePrint
{
    public sealed record QuotePrint(QuoteDto Quote, string WorkspaceName, string? WorkspaceAddress, string? LogoDataUrl, string DealName, string? CustomerName);

    public sealed class Handler(RapportDbContext db, IAccessControl access, RecordDirectory records)
    {
        public async Task<QuotePrint?> HandleAsync(Guid id, CancellationToken ct)
        {
            if (await (await QuoteRules.VisibleAsync(db, access, ct)).SingleOrDefaultAsync(q => q.Id == id, ct) is not { } quote)
            {
                return null;
            }

            var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == quote.WorkspaceId)
                .Select(w => new { w.Name, w.Address, w.Logo, w.LogoContentType }).SingleAsync(ct);
            var deal = await db.Set<Deal>().AsNoTracking().Where(d => d.Id == quote.DealId).Select(d => new { d.Name, d.CompanyId }).SingleAsync(ct);
            var customer = deal.CompanyId is { } company && await records.NameAsync([new RecordRef(DealRules.CompanyType, company)], ct) is [var named, ..]
                ? named.Name
                : null;
            var logo = workspace.Logo is { } bytes ? $"data:{workspace.LogoContentType};base64,{Convert.ToBase64String(bytes)}" : null;
            return new QuotePrint(QuoteDto.From(quote), workspace.Name, workspace.Address, logo, deal.Name, customer);
        }
    }
}
