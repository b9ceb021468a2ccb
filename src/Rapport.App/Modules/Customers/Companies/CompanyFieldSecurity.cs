using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Field-level security for companies: which registered fields changed, masking what is hidden, keeping what may not be edited.</summary>
internal static class CompanyFieldSecurity
{
    private static readonly (string Field, Func<CompanyFields, object?> Read)[] Fields =
    [
        ("name", f => f.Name), ("domain", f => CompanyFields.NormalizeDomain(f.Domain)), ("industry", f => f.Industry), ("phone", f => f.Phone),
        ("website", f => f.Website), ("address", f => f.Address ?? new CompanyAddress()), ("ownerId", f => f.OwnerId), ("teamId", f => f.TeamId),
        ("size", f => f.Size), ("annualRevenue", f => f.AnnualRevenue), ("parentCompanyId", f => f.ParentCompanyId),
        ("lifecycleStage", f => f.LifecycleStage), ("tags", f => string.Join('\n', f.Tags ?? [])),
        ("otherAddresses", f => System.Text.Json.JsonSerializer.Serialize(f.OtherAddresses ?? [])),
        ("socialProfiles", f => System.Text.Json.JsonSerializer.Serialize(f.SocialProfiles ?? [])),
    ];

    /// <summary>The restricted fields a change would alter: any of them makes the change a 403.</summary>
    public static IReadOnlyList<string> Forbidden(CompanyFields before, CompanyFields after, FieldPolicy policy) =>
        [.. Fields.Where(f => !policy.CanEdit(f.Field) && !Equals(f.Read(before), f.Read(after))).Select(f => f.Field)];

    /// <summary>A create may leave restricted fields empty, nothing else.</summary>
    public static IReadOnlyList<string> ForbiddenOnCreate(CompanyFields requested, FieldPolicy policy) =>
        Forbidden(new CompanyFields("", OwnerId: requested.OwnerId), requested, policy);

    /// <summary>For forms that send every field: what the user may not change is taken from the record as it is.</summary>
    public static CompanyFields Keep(CompanyFields before, CompanyFields after, FieldPolicy policy) => after with
    {
        Name = policy.CanEdit("name") ? after.Name : before.Name,
        Domain = policy.CanEdit("domain") ? after.Domain : before.Domain,
        Industry = policy.CanEdit("industry") ? after.Industry : before.Industry,
        Phone = policy.CanEdit("phone") ? after.Phone : before.Phone,
        Website = policy.CanEdit("website") ? after.Website : before.Website,
        Address = policy.CanEdit("address") ? after.Address : before.Address,
        OwnerId = policy.CanEdit("ownerId") ? after.OwnerId : before.OwnerId,
        TeamId = policy.CanEdit("teamId") ? after.TeamId : before.TeamId,
        Size = policy.CanEdit("size") ? after.Size : before.Size,
        AnnualRevenue = policy.CanEdit("annualRevenue") ? after.AnnualRevenue : before.AnnualRevenue,
        ParentCompanyId = policy.CanEdit("parentCompanyId") ? after.ParentCompanyId : before.ParentCompanyId,
        LifecycleStage = policy.CanEdit("lifecycleStage") ? after.LifecycleStage : before.LifecycleStage,
        Tags = policy.CanEdit("tags") ? after.Tags : before.Tags,
        OtherAddresses = policy.CanEdit("otherAddresses") ? after.OtherAddresses : before.OtherAddresses,
        SocialProfiles = policy.CanEdit("socialProfiles") ? after.SocialProfiles : before.SocialProfiles,
        // Custom values not sent stay as they are: drop those the user may not change.
        Custom = after.Custom?.Where(v => policy.CanEdit(CustomFieldSet.Prefix + v.Key)).ToDictionary(),
    };

    public static CompanyDto Mask(CompanyDto dto, FieldPolicy policy) => policy.Hidden.Count == 0 ? dto : dto with
    {
        Domain = policy.IsHidden("domain") ? null : dto.Domain,
        Industry = policy.IsHidden("industry") ? null : dto.Industry,
        Phone = policy.IsHidden("phone") ? null : dto.Phone,
        Website = policy.IsHidden("website") ? null : dto.Website,
        Address = policy.IsHidden("address") ? new CompanyAddress() : dto.Address,
        OwnerId = policy.IsHidden("ownerId") ? null : dto.OwnerId,
        TeamId = policy.IsHidden("teamId") ? null : dto.TeamId,
        Size = policy.IsHidden("size") ? null : dto.Size,
        AnnualRevenue = policy.IsHidden("annualRevenue") ? null : dto.AnnualRevenue,
        ParentCompanyId = policy.IsHidden("parentCompanyId") ? null : dto.ParentCompanyId,
        LifecycleStage = policy.IsHidden("lifecycleStage") ? null : dto.LifecycleStage,
        Tags = policy.IsHidden("tags") ? [] : dto.Tags,
        OtherAddresses = policy.IsHidden("otherAddresses") ? [] : dto.OtherAddresses,
        SocialProfiles = policy.IsHidden("socialProfiles") ? [] : dto.SocialProfiles,
        Custom = CustomFieldSet.Visible(dto.Custom, policy),
    };

    public static string Refusal(IReadOnlyList<string> fields) =>
        $"Your roles do not allow you to change: {string.Join(", ", fields)}.";
}
