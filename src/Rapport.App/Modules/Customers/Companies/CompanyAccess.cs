using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Loads a company for a change and checks reassignments, the same way for every write.</summary>
internal static class CompanyAccess
{
    public static Task<(Company? Company, Outcome<CompanyDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct) =>
        RecordAccess.LoadForAsync<Company, CompanyDto>(
            inTrash ? db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null && c.MergedIntoId == null) : db.Set<Company>(),
            access, Company.TypeName, id, action, ct);

    public static Task<Outcome<CompanyDto>?> CheckAssignmentAsync(
        IAccessControl access, ICurrentUser user, Company? before, CompanyFields after, CancellationToken ct) =>
        RecordAccess.CheckAssignmentAsync<CompanyDto>(access, user, Company.TypeName, before, after.OwnerId, after.TeamId, ct);
}
