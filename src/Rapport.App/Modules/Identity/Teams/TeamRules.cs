using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.Teams;

internal static class TeamRules
{
    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, TeamFields fields, Guid? self, CancellationToken ct)
    {
        var errors = new TeamFieldsValidator().Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count > 0)
        {
            return errors;
        }

        if (await db.Set<Team>().AnyAsync(t => t.Id != self && t.Name == fields.Name.Trim(), ct))
        {
            errors["name"] = ["Another team already has this name."];
        }

        var members = (fields.MemberIds ?? []).Distinct().ToList();
        if (await db.Memberships.CountAsync(m => members.Contains(m.UserId), ct) != members.Count)
        {
            errors["memberIds"] = ["Every team member must be a member of this workspace."];
        }

        return errors;
    }
}
