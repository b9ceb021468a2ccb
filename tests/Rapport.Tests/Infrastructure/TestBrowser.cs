using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// Submits the statically rendered account forms like a browser without JavaScript: reads the form
/// (its action, <c>_handler</c>, antiforgery token and hidden fields) from the page and posts it, keeping cookies.
/// </summary>
public static partial class TestBrowser
{
    /// <summary>A client that keeps cookies and does not follow redirects, so tests see them.</summary>
    public static HttpClient Browser(this RapportFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Loads <paramref name="url"/> and submits its form named <paramref name="formName"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitPageAsync(this HttpClient browser, string url, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await browser.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitAsync(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), formName, fields);
    }

    /// <summary>Submits the form named <paramref name="formName"/> found in <paramref name="html"/>, with its hidden fields plus <paramref name="fields"/>.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient browser, string html, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var form = FormPattern().Matches(html).Select(m => m.Value).FirstOrDefault(f => f.Contains($"name=\"_handler\" value=\"{formName}\"", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"No form {formName} on the page.");
        var action = WebUtility.HtmlDecode(ActionPattern().Match(form).Groups[1].Value);
        var values = HiddenPattern().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return browser.PostAsync(action, new FormUrlEncodedContent(values), TestContext.Current.CancellationToken);
    }

    /// <summary>The path of a redirect's Location, absolute or not.</summary>
    public static string PathOf(this Uri location) => (location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location)).AbsolutePath;

    public static Task<string> HtmlAsync(this HttpResponseMessage response) => response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenPattern();
}
