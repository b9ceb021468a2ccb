using Ganss.Xss;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>
/// What a note's HTML may contain: basic formatting, links and lists. Scripts, styles, event handlers, images,
/// frames and forms are removed on the server, whatever the client sent; links may only be http, https or mailto
/// and open in a new tab without access to this page.
/// </summary>
public static class NoteHtml
{
    private static readonly string[] Tags =
        ["p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "del", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"];

    private static readonly HtmlSanitizer Sanitizer = Create();

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }

    /// <summary>The HTML with everything outside the allowlist removed.</summary>
    public static string Sanitize(string? html) => string.IsNullOrWhiteSpace(html) ? "" : Sanitizer.Sanitize(html).Trim();

    /// <summary>Whether sanitized HTML has any visible text.</summary>
    public static bool IsBlank(string html) => string.IsNullOrWhiteSpace(PlainText(html));

    /// <summary>The text of sanitized HTML, for previews and search.</summary>
    public static string PlainText(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")).Trim();
}
