using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// What a deal needs to enter a stage: a value in each of the stage's required fields, and a lost reason of the pipeline
/// for a lost stage. A refusal is a validation problem naming every missing field (<c>missingFields</c>, in
/// <c>errors</c> too) and the <c>stageId</c>.
/// </summary>
public static class StageRequirements
{
    /// <summary>The built-in deal fields a stage may require, with their name in words and whether a deal fills them.</summary>
    public static readonly IReadOnlyDictionary<string, (string Label, Func<DealFields, bool> Filled)> Fields =
        new Dictionary<string, (string, Func<DealFields, bool>)>(StringComparer.Ordinal)
        {
            ["amount"] = ("Amount", f => f.Amount is not null),
            ["closeDate"] = ("Close date", f => f.CloseDate is not null),
            ["companyId"] = ("Company", f => f.CompanyId is not null),
            ["contacts"] = ("Contacts", f => f.Contacts is { Count: > 0 }),
            ["nextStep"] = ("Next step", f => !string.IsNullOrWhiteSpace(f.NextStep)),
            ["competitors"] = ("Competitors", f => f.Competitors?.Any(c => !string.IsNullOrWhiteSpace(c)) == true),
            ["ownerId"] = ("Owner", f => f.OwnerId is not null),
            ["teamId"] = ("Team", f => f.TeamId is not null),
        };

    /// <summary>The refusal when a deal with these fields (and custom values, as stored) may not enter <paramref name="stage"/>; null when it may.</summary>
    public static Outcome<T>? Check<T>(Pipeline pipeline, PipelineStage stage, DealFields fields, string customValues, CustomFieldSet custom)
    {
        var values = CustomValues.Parse(customValues);
        var missing = stage.RequiredFields.Where(field => field.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal)
                ? values[field[CustomFieldSet.Prefix.Length..]] is null
                : Fields.TryGetValue(field, out var known) && !known.Filled(fields))
            .ToList();
        var reasons = pipeline.LostReasons.Select(r => r.Key).ToList();
        var needsReason = stage.Kind == StageKinds.Lost && !reasons.Contains(fields.LostReason?.Trim() ?? "");
        if (missing.Count == 0 && !needsReason)
        {
            return null;
        }

        var errors = missing.ToDictionary(f => f, f => new[] { $"{LabelOf(f, custom)} is required to enter the stage \"{stage.Label}\"." });
        if (needsReason)
        {
            errors["lostReason"] = [$"Say why the deal was lost: one of {string.Join(", ", reasons)}."];
            missing.Add("lostReason");
        }

        var detail = $"To move the deal to \"{stage.Label}\", fill in: {string.Join(", ", missing.Select(f => f == "lostReason" ? "Lost reason" : LabelOf(f, custom)))}.";
        return Outcome<T>.Invalid(errors, detail, new Dictionary<string, object?> { ["missingFields"] = missing, ["stageId"] = stage.Id });
    }

    private static string LabelOf(string field, CustomFieldSet custom) =>
        Fields.TryGetValue(field, out var known) ? known.Label
        : custom.Find(field[CustomFieldSet.Prefix.Length..])?.Label ?? field;
}
