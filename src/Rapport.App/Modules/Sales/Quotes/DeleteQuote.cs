using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>Moves a quote to the trash (If-Match) or brings it back (<c>restore</c>, restorable for 30 days).</summary>
public static class DeleteQuote
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public Task<Outcome<QuoteDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct) =>
            SalesDocumentRules.TrashAsync<Quote, QuoteDto>(db, access, currentUser.UserId, clock.GetUtcNow(), Quote.TypeName, id, ifMatch, restore, QuoteDto.From, ct);
    }

    public static void Map(RouteGroupBuilder quotes) =>
        SalesDocumentRules.MapTrash<QuoteDto>(quotes, Quote.TypeName, "Quote",
            (id, restore, ifMatch, services, ct) => services.GetRequiredService<Handler>().HandleAsync(id, ifMatch, restore, ct), q => q.Version);
}
