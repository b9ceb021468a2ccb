using Microsoft.EntityFrameworkCore;
using PhoneNumbers;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Leads;

/// <summary>What every lead write checks: valid fields, phones in E.164, an owner and team of this workspace.</summary>
internal static class LeadRules
{
    /// <summary>Fields roles may hide or make read-only (<c>fields: {"lead": {"rating": "readOnly"}}</c>).</summary>
    public static readonly string[] RestrictableFields =
    [
        "firstName", "lastName", "companyName", "emails", "phones", "jobTitle", "website", "source", "status", "rating",
        "industry", "size", "country", "territory", "description", "ownerId", "teamId",
    ];

    private static readonly LeadFieldsValidator Validator = new();
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public static async Task<(List<string> Phones, Dictionary<string, string[]> Errors)> CheckAsync(RapportDbContext db, LeadFields fields, CancellationToken ct)
    {
        var errors = Validator.Validate(fields).Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        var country = (await db.WorkspaceDefaultsAsync(ct)).DefaultCountry;
        var phones = new List<string>();
        for (var i = 0; i < (fields.Phones?.Count ?? 0); i++)
        {
            var typed = fields.Phones![i]?.Trim() ?? "";
            if (typed.Length > 0 && E164(typed, country) is { } e164)
            {
                phones.Add(e164);
            }
            else if (typed.Length > 0)
            {
                errors[$"phones[{i}]"] = [$"'{typed}' is not a valid phone number (numbers without +country code are read as {country})."];
            }
        }

        if (errors.Count > 0)
        {
            return (phones, errors);
        }

        if (fields.OwnerId is { } owner && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct))
        {
            errors["ownerId"] = ["The owner must be a member of this workspace."];
        }

        if (fields.TeamId is { } team && !await db.Set<Team>().AnyAsync(t => t.Id == team, ct))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        return ([.. phones.Distinct()], errors);
    }

    internal static string? E164(string typed, string country)
    {
        try
        {
            var number = Numbers.Parse(typed, country);
            return Numbers.IsValidNumber(number) ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static Task<(Lead? Lead, Outcome<LeadDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
    {
        var leads = inTrash ? db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(l => l.DeletedAt != null) : db.Set<Lead>();
        return RecordAccess.LoadForAsync<Lead, LeadDto>(leads, access, Lead.TypeName, id, action, ct);
    }

    public static Task<Outcome<LeadDto>?> CheckAssignmentAsync(IAccessControl access, ICurrentUser user, Lead? before, LeadFields after, CancellationToken ct) =>
        RecordAccess.CheckAssignmentAsync<LeadDto>(access, user, Lead.TypeName, before, after.OwnerId, after.TeamId, ct);
}
