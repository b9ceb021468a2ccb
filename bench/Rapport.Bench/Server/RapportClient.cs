using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Rapport.Bench.Generator;

namespace Rapport.Bench.Server;

/// <summary>What the benchmark does through Rapport's public API, as any client would.</summary>
public sealed class RapportClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Row counts of a finished import, and the time from the POST to the poll that saw it completed.</summary>
    public sealed record ImportResult(long Created, long Updated, long Skipped, long Failed, TimeSpan Elapsed)
    {
        public long Rows => Created + Updated + Skipped + Failed;
    }

    /// <summary>The bearer token of the signed-up administrator (for wrk).</summary>
    public string Token { get; private set; } = "";

    /// <summary>Calls as the user <paramref name="token"/> belongs to (a client of a restarted server).</summary>
    public void UseToken(string token)
    {
        Token = token;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>Signs up the first workspace (an administrator) and sets its default country for phone numbers.</summary>
    public async Task SignUpAsync(string country)
    {
        var signup = await _http.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = "Bench", email = "bench@rapport.local", password = "correct-horse-battery-2026", displayName = "Bench" });
        Token = (await JsonAsync(signup, HttpStatusCode.Created))["token"]!.GetValue<string>();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var settings = await _http.GetAsync(new Uri("/api/v1/workspace", UriKind.Relative));
        await JsonAsync(settings, HttpStatusCode.OK);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/workspace") { Content = JsonContent.Create(new { defaultCountry = country }) };
        patch.Headers.TryAddWithoutValidation("If-Match", settings.Headers.ETag!.Tag);
        await JsonAsync(await _http.SendAsync(patch), HttpStatusCode.OK);
    }

    /// <summary>The two custom fields the file's Tier and Score columns map to; lists sort by a sortable score (an expression index).</summary>
    public async Task CreateCustomFieldsAsync(bool sortableScore = false)
    {
        var options = Names.Tiers.Select(t => new { key = t.Key, label = t.Label, labelZh = t.LabelZh }).ToArray();
        await JsonAsync(await _http.PostAsJsonAsync("/api/v1/custom-fields",
            new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", labelZh = "等级", options }), HttpStatusCode.Created);
        await JsonAsync(await _http.PostAsJsonAsync("/api/v1/custom-fields",
            new { entityType = "contact", key = "score", type = "number", label = "Score", labelZh = "评分", sortable = sortableScore }), HttpStatusCode.Created);
    }

    /// <summary>Uploads the file (streamed from disk), then polls the import until it is no longer queued or running.</summary>
    public async Task<ImportResult> ImportAsync(string file, string mode = "create")
    {
        var clock = Stopwatch.StartNew();
        await using var stream = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(stream, 1 << 16), "file", Path.GetFileName(file) },
            { new StringContent("contact"), "entity" },
            { new StringContent(mode), "mode" },
            { new StringContent("email"), "key" },
            { new StringContent("false"), "dryRun" },
            { new StringContent(JsonSerializer.Serialize(ContactSet.Mapping)), "mapping" },
        };
        var started = await JsonAsync(await _http.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form), HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        while (true)
        {
            var import = await JsonAsync(await _http.GetAsync(new Uri($"/api/v1/imports/{id}", UriKind.Relative)), HttpStatusCode.OK);
            var status = import["status"]!.GetValue<string>();
            if (status is not ("queued" or "running"))
            {
                clock.Stop();
                if (status != "completed")
                {
                    throw new InvalidOperationException($"Import {id} ended {status}: {import.ToJsonString()}");
                }

                return new ImportResult(import["created"]!.GetValue<long>(), import["updated"]!.GetValue<long>(), import["skipped"]!.GetValue<long>(),
                    import["failed"]!.GetValue<long>(), clock.Elapsed);
            }

            // Polling costs the server a little: often at first (fine timing of short imports), then at most every second (< 1% error).
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(clock.Elapsed.TotalMilliseconds / 100, 100, 1000)));
        }
    }

    /// <summary>Streams the CSV export of every contact and throws the bytes away; returns the data lines and the time.</summary>
    public async Task<(long Lines, TimeSpan Elapsed)> ExportAsync()
    {
        var clock = Stopwatch.StartNew();
        using var response = await _http.GetAsync(new Uri("/api/v1/contacts/export?format=csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Export answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        clock.Stop();
        return (lines - 1, clock.Elapsed);
    }

    /// <summary>GET <paramref name="path"/> (relative, with its query), expecting 200; the JSON body.</summary>
    public async Task<JsonNode> GetAsync(string path) => await JsonAsync(await _http.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.OK);

    /// <summary>POST <paramref name="body"/> as JSON to <paramref name="path"/>, expecting 201; the JSON body.</summary>
    public async Task<JsonNode> CreateAsync(string path, object body) =>
        await JsonAsync(await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body), HttpStatusCode.Created);

    public void Dispose() => _http.Dispose();

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }
}
