using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Loads a company for a change, deciding 404 (cannot see it) and 403 (sees it, may not do this) the same way for every write.</summary>
internal static class CompanyAccess
{
    public static async Task<(Company? Company, Outcome<CompanyDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
    {
        var companies = inTrash ? db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null) : db.Set<Company>();
        var company = await companies.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (company is null || !await access.CanAsync(company, Company.TypeName, AccessAction.Read, ct))
        {
            return (null, Outcome<CompanyDto>.NotFound());
        }

        return await access.CanAsync(company, Company.TypeName, action, ct)
            ? (company, null)
            : (null, Outcome<CompanyDto>.Forbidden($"Your roles do not allow you to {Verb(action)} this company."));
    }

    /// <summary>Giving a company an owner other than yourself, or a team, needs the assign right reaching that owner and team.</summary>
    public static async Task<Outcome<CompanyDto>?> CheckAssignmentAsync(
        IAccessControl access, ICurrentUser user, Company? before, CompanyFields after, CancellationToken ct)
    {
        var changes = before is null
            ? after.OwnerId != user.UserId || after.TeamId is not null
            : before.OwnerId != after.OwnerId || before.TeamId != after.TeamId;
        if (!changes)
        {
            return null;
        }

        var allowed = (before is null || await access.CanAsync(before, Company.TypeName, AccessAction.Assign, ct))
                      && await access.CanAsync(new OwnedProbe(after.OwnerId, after.TeamId), Company.TypeName, AccessAction.Assign, ct);
        return allowed ? null : Outcome<CompanyDto>.Forbidden("Your roles do not allow you to assign this company to that owner or team.");
    }

    private static string Verb(AccessAction action) => action switch
    {
        AccessAction.Update => "change",
        AccessAction.Delete => "delete or restore",
        _ => action.ToString().ToLowerInvariant(),
    };
}
