using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>What every quote write checks.</summary>
internal static class QuoteRules
{
    public static Task<string> NextNumberAsync(RapportDbContext db, CancellationToken ct) =>
        SalesDocumentRules.NextNumberAsync(db.Set<Quote>(), q => q.Select(x => x.Number), "Q-", ct);

    /// <summary>Checks <paramref name="fields"/> and, when they are fine, puts them in the draft <paramref name="quote"/>; else the errors.</summary>
    public static async Task<Dictionary<string, string[]>> ApplyAsync(
        RapportDbContext db, LookUpPrice.Handler prices, Quote quote, QuoteFields fields, CancellationToken ct)
    {
        var currency = fields.Currency?.Trim().ToUpperInvariant();
        var errors = DocumentLines.CheckCurrency(currency);
        if (fields.Notes?.Trim().Length > Quote.NotesMaxLength)
        {
            errors["notes"] = [$"At most {Quote.NotesMaxLength} characters."];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var (lines, lineErrors) = await DocumentLines.ResolveAsync(db, prices, currency!, fields.PriceBookId, fields.Lines, ct);
        if (lineErrors.Count > 0)
        {
            return lineErrors;
        }

        quote.Change(currency!, fields.ValidUntil, fields.PriceBookId, fields.Notes, lines);
        return [];
    }

    public static Task<(Quote? Quote, Outcome<QuoteDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct) =>
        SalesDocumentRules.LoadForAsync<Quote, QuoteDto>(db, access, Quote.TypeName, id, action, inTrash, ct);

    /// <summary>The quotes the caller may read.</summary>
    public static Task<IQueryable<Quote>> VisibleAsync(RapportDbContext db, IAccessControl access, CancellationToken ct) =>
        access.ScopeAsync(db.Set<Quote>().AsNoTracking().OfLiveDeals(db), Quote.TypeName, AccessAction.Read, ct);
}
