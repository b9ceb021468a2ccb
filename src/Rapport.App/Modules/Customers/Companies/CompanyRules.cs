using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Checks a company's fields need the database for: the owner is a member, the domain is free.</summary>
internal static class CompanyRules
{
    private static readonly CompanyFieldsValidator Validator = new(); // validators are built once: their rules compile expressions

    /// <param name="merging">Companies being merged into <paramref name="self"/>: their domains become free, and a parent under them would make a loop.</param>
    public static async Task<Dictionary<string, string[]>> CheckAsync(
        RapportDbContext db, CompanyFields fields, Guid? self, CancellationToken ct, IReadOnlyCollection<Guid>? merging = null)
    {
        merging ??= [];
        var errors = new Dictionary<string, string[]>();
        var validation = Validator.Validate(fields);
        foreach (var group in validation.Errors.GroupBy(e => e.PropertyName))
        {
            errors[group.Key] = [.. group.Select(e => e.ErrorMessage)];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        if (fields.OwnerId is { } owner && !await db.KnownAsync<Membership>(owner, () => db.Memberships.AnyAsync(m => m.UserId == owner, ct)))
        {
            errors["ownerId"] = ["The owner must be a member of this workspace."];
        }

        if (fields.TeamId is { } team && !await db.KnownAsync<Team>(team, () => db.Set<Team>().AnyAsync(t => t.Id == team, ct)))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        if (fields.ParentCompanyId is { } parent)
        {
            // Walk up from the chosen parent: meeting this company again means a loop.
            var ancestor = (Guid?)parent;
            for (var depth = 0; ancestor is { } current && depth < 50; depth++)
            {
                if (current == self || merging.Contains(current))
                {
                    errors["parentCompanyId"] = ["A company cannot be its own parent or the parent of its parent."];
                    break;
                }

                var next = await db.Set<Company>().Where(c => c.Id == current).Select(c => new { Found = true, c.ParentCompanyId }).SingleOrDefaultAsync(ct);
                if (next is null)
                {
                    errors["parentCompanyId"] = ["The parent must be one of this workspace's companies."];
                    break;
                }

                ancestor = next.ParentCompanyId;
            }
        }

        var domain = CompanyFields.NormalizeDomain(fields.Domain);
        if (domain is not null && await db.Set<Company>().AnyAsync(c => c.Domain == domain && c.Id != self && !merging.Contains(c.Id), ct))
        {
            errors["domain"] = ["Another company already has this domain."];
        }

        return errors;
    }
}
