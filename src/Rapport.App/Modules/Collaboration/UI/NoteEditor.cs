using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using Rapport.Kernel.Api;
using Rapport.Kernel.UI;

namespace Rapport.Modules.Collaboration.UI;

/// <summary>What the note composer and the timeline's note editing share.</summary>
internal static class NoteEditor
{
    /// <summary>The JavaScript module behind the contenteditable editors.</summary>
    public const string Module = "./_content/Rapport.App/collaboration/note-editor.js";

    /// <summary>A refusal in words for a snackbar or the line under the editor.</summary>
    public static string ProblemOf<T>(IStringLocalizer<Text> text, Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.Invalid => string.Join(" ", outcome.Errors.SelectMany(e => e.Value)),
        OutcomeKind.Forbidden => text["timeline.NotAllowed"],
        OutcomeKind.Stale => text["ChangedMeanwhile"],
        OutcomeKind.NotFound => text["RecordNotFound"],
        _ => outcome.Detail ?? text["SaveFailed"],
    };

    public static async ValueTask DisposeAsync(IJSObjectReference? module)
    {
        if (module is null)
        {
            return;
        }

        try
        {
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the module.
        }
    }
}
