using System.Security.Claims;
using Rapport.Kernel;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products.UI;

/// <summary>What the signed-in user may do with one catalog entity type, so pages offer only what the handlers allow.</summary>
public sealed record CatalogRights(bool Read, bool Create, bool Update, bool Delete)
{
    public static readonly CatalogRights None = new(false, false, false, false);

    public static Task<CatalogRights> LoadAsync(Operations operations, ClaimsPrincipal user, string entity) =>
        operations.RunAsync<IAccessControl, CatalogRights>(user, async access => new CatalogRights(
            await CatalogAccess.AllowsAsync(access, entity, AccessAction.Read, CancellationToken.None),
            await CatalogAccess.AllowsAsync(access, entity, AccessAction.Create, CancellationToken.None),
            await CatalogAccess.AllowsAsync(access, entity, AccessAction.Update, CancellationToken.None),
            await CatalogAccess.AllowsAsync(access, entity, AccessAction.Delete, CancellationToken.None)));
}
