using System.Text.RegularExpressions;

namespace Rapport.Kernel.Transfer;

/// <summary>
/// Keeps spreadsheets from running exported text as a formula (CSV injection): a cell beginning with
/// <c>=</c>, <c>@</c>, tab or CR, or with <c>+</c> or <c>-</c> when the rest is not a plain number or phone
/// number, gets a leading <c>'</c>. <see cref="Restore"/> takes exactly that apostrophe away again, so
/// E.164 phones and negative numbers stay as they are and every value survives an export and re-import.
/// </summary>
public static partial class SpreadsheetCells
{
    private const char Mark = '\'';

    /// <summary>The value with a leading <c>'</c> when a spreadsheet would run it as a formula.</summary>
    public static string? Neutralize(string? value) => value is not null && Needs(value) ? Mark + value : value;

    /// <summary>Takes away the <c>'</c> <see cref="Neutralize"/> added; any other value is returned as it is.</summary>
    public static string? Restore(string? value) => value is [Mark, .. var rest] && Needs(rest) ? rest : value;

    /// <summary>
    /// Whether the value needs the mark: it would run as a formula, or it is already marks followed by such a
    /// value (<c>'=1</c> typed by a person) — marking that one too keeps <see cref="Restore"/> from eating its mark.
    /// </summary>
    private static bool Needs(string value)
    {
        var text = value.TrimStart(Mark);
        return text switch
        {
            [] => false,
            ['=' or '@' or '\t' or '\r', ..] => true,
            ['+' or '-', ..] => !PlainNumber().IsMatch(text) && !(text[0] == '+' && IsPhone(text)),
            _ => false,
        };
    }

    /// <summary>International numbers as people write them: <c>+86 138 0013 8000</c>, <c>+1 (555) 010-9999</c>, E.164.</summary>
    private static bool IsPhone(string text)
    {
        if (!PhoneShape().IsMatch(text))
        {
            return false;
        }

        var digits = text.Count(char.IsAsciiDigit);
        return digits is >= 6 and <= 15;
    }

    [GeneratedRegex(@"^[+-](\d+([.,]\d+)*|\d*\.\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^\+\d[\d ().-]*\d$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneShape();
}
