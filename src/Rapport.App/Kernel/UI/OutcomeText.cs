using Microsoft.Extensions.Localization;
using Rapport.Kernel.Api;

namespace Rapport.Kernel.UI;

/// <summary>Why a change from a page was not saved, in plain words for a snackbar.</summary>
public static class OutcomeText
{
    public static string Describe<T>(Outcome<T> outcome, IStringLocalizer<Text> t) => outcome.Kind switch
    {
        OutcomeKind.Stale => t["ChangedMeanwhile"],
        OutcomeKind.NotFound => t["NotFoundOrHidden"],
        OutcomeKind.Invalid => string.Join(" ", outcome.Errors.SelectMany(e => e.Value)),
        _ => outcome.Detail ?? t["SaveFailed"],
    };
}
