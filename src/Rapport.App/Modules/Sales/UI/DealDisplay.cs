using System.Globalization;
using Microsoft.Extensions.Localization;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.UI;

namespace Rapport.Modules.Sales.UI;

/// <summary>Deals in words: amounts in the user's culture, labels in their language, and why a move was refused.</summary>
internal static class DealDisplay
{
    public static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>An amount with its currency's minor units, grouped the way the user reads numbers: <c>1,234.50 USD</c>.</summary>
    public static string Amount(decimal? amount, string currency) =>
        amount is { } value ? $"{value.ToString("N" + Currencies.MinorUnits(currency), CultureInfo.CurrentCulture)} {currency}" : "";

    public static string Amount(Money money) => Amount(money.Amount, money.Currency);

    /// <summary>A deal field's name in the user's language (<c>closeDate</c> → Close date / 预计成交日期; custom fields by their label).</summary>
    public static string FieldLabel(IStringLocalizer<Text> t, string field, IReadOnlyList<CustomFieldDto> custom) => field switch
    {
        "amount" => t["Amount"],
        "closeDate" => t["CloseDate"],
        "companyId" => t["Company"],
        "contacts" => t["Contacts"],
        "nextStep" => t["NextStep"],
        "competitors" => t["Competitors"],
        "ownerId" => t["Owner"],
        "teamId" => t["Team"],
        "lostReason" => t["LostReason"],
        _ when field.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal)
               && custom.FirstOrDefault(f => CustomFieldSet.Prefix + f.Key == field) is { } f => Chinese && f.LabelZh is { Length: > 0 } zh ? zh : f.Label,
        _ => field,
    };

    /// <summary>Why a deal did not move or save: the stage's missing fields named in the user's language, else the usual words.</summary>
    public static string Refusal<T>(Outcome<T> outcome, IStringLocalizer<Text> t, string stageLabel, IReadOnlyList<CustomFieldDto> custom) =>
        outcome.Extensions?.GetValueOrDefault("missingFields") is IEnumerable<string> missing
            ? string.Format(CultureInfo.CurrentCulture, t["StageNeeds"], stageLabel, string.Join(Chinese ? "、" : ", ", missing.Select(f => FieldLabel(t, f, custom))))
            : OutcomeText.Describe(outcome, t);

    /// <summary>Time in a stage as people say it: 3 d 4 h, 2 h 5 min, 40 min.</summary>
    public static string Duration(IStringLocalizer<Text> t, long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? string.Format(CultureInfo.CurrentCulture, t["DurationDays"], (int)span.TotalDays, span.Hours)
            : span.TotalHours >= 1 ? string.Format(CultureInfo.CurrentCulture, t["DurationHours"], (int)span.TotalHours, span.Minutes)
            : string.Format(CultureInfo.CurrentCulture, t["DurationMinutes"], Math.Max(0, (int)span.TotalMinutes));
    }

    /// <summary>Amounts left out of a total for want of a rate, in words: the help text, then <c>EUR 999.00 on 2026-11-26</c> per currency and day.</summary>
    public static string MissingRates(string help, IEnumerable<Deals.DealTotals.Missing> missing) =>
        $"{help} {string.Join("; ", missing.Select(m => $"{Amount(m.Amount, m.Currency)} ({m.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"))}";
}
