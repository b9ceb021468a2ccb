using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>Moves a contract to the trash (If-Match) or brings it back (<c>restore</c>, restorable for 30 days).</summary>
public static class DeleteContract
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public Task<Outcome<ContractDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct) =>
            SalesDocumentRules.TrashAsync<Contract, ContractDto>(db, access, currentUser.UserId, clock.GetUtcNow(), Contract.TypeName, id, ifMatch, restore, ContractDto.From, ct);
    }

    public static void Map(RouteGroupBuilder contracts) =>
        SalesDocumentRules.MapTrash<ContractDto>(contracts, Contract.TypeName, "Contract",
            (id, restore, ifMatch, services, ct) => services.GetRequiredService<Handler>().HandleAsync(id, ifMatch, restore, ct), c => c.Version);
}
