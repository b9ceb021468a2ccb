using System.Globalization;
using Microsoft.Extensions.Localization;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.UI;

/// <summary>Words for search results: a type's label in the user's language, a matched field's name.</summary>
internal static class SearchDisplay
{
    public static string TypeLabel(AccessCatalog catalog, string type) =>
        catalog.Find(type) is not { } entity ? type
        : CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? entity.LabelZh : entity.Label;

    /// <summary>The field's label from the shared texts (<c>emails</c> → key <c>Emails</c>), or its name when there is none.</summary>
    public static string FieldLabel(IStringLocalizer<Text> text, string field)
    {
        var label = text[char.ToUpperInvariant(field[0]) + field[1..]];
        return label.ResourceNotFound ? field : label.Value;
    }

    public static string SearchUrl(string query) => "/search?q=" + Uri.EscapeDataString(query);
}
