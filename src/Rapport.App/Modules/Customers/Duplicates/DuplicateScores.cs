namespace Rapport.Modules.Customers.Duplicates;

/// <summary>Why two records look like the same customer: <c>email</c>, <c>phone</c>, <c>domain</c> (exact), <c>name</c>, <c>companyName</c> (equal once normalized), <c>similarName</c>, <c>similarCompanyName</c> (a few letters apart).</summary>
public sealed record DuplicateReason(string Kind, string Value);

/// <summary>A record that may be the one being typed. <see cref="Exact"/> ones (same email, phone or domain) are refused on save unless allowed.</summary>
public sealed record LikelyDuplicate(Guid Id, string DisplayName, int Score, bool Exact, IReadOnlyList<DuplicateReason> Reasons);

public sealed record LikelyDuplicates(IReadOnlyList<LikelyDuplicate> Data);

/// <summary>How sure a reason makes us, 0–100: the score of a candidate is that of its strongest reason.</summary>
public static class DuplicateScores
{
    public static int Of(string kind) => kind switch
    {
        "email" or "domain" => 100,
        "phone" => 95,
        "companyName" => 80,
        "name" => 75,
        _ => 60,
    };

    public static bool IsExact(string kind) => kind is "email" or "phone" or "domain";

    public static LikelyDuplicate Candidate(Guid id, string displayName, IReadOnlyList<DuplicateReason> reasons) =>
        new(id, displayName, reasons.Max(r => Of(r.Kind)), reasons.Any(r => IsExact(r.Kind)), reasons);
}
