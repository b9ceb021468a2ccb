using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

internal static class ContractRules
{
    public static Dictionary<string, string[]> Check(ContractFields fields) =>
        new ContractFieldsValidator().Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());

    public static Task<(Contract? Contract, Outcome<ContractDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, CancellationToken ct) =>
        SalesDocumentRules.LoadForAsync<Contract, ContractDto>(db, access, Contract.TypeName, id, action, false, ct);

    public static Task<IQueryable<Contract>> VisibleAsync(RapportDbContext db, IAccessControl access, CancellationToken ct) =>
        access.ScopeAsync(db.Set<Contract>().AsNoTracking().OfLiveDeals(db), Contract.TypeName, AccessAction.Read, ct);
}
