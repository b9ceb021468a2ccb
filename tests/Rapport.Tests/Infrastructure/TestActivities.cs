using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Rapport.Tests.Infrastructure;

/// <summary>Notes, files and timelines through the API.</summary>
public static class TestActivities
{
    /// <summary>The first bytes of a PNG image; the server decides a file's type by them.</summary>
    public static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];

    public static object Link(string entityType, Guid id) => new { entityType, recordId = id };

    public static async Task<(Guid Id, string ETag)> CreateContactAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/contacts", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()), response.Headers.ETag!.Tag);
    }

    public static async Task<(Guid Id, string ETag)> WriteNoteAsync(this HttpClient client, string html, params object[] links)
    {
        var response = await client.PostJsonAsync("/api/v1/notes", new { html, links });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()), response.Headers.ETag!.Tag);
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string fileName, byte[] content, params object[] links)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(System.Text.Json.JsonSerializer.Serialize(links)), "links");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return client.PostAsync("/api/v1/files", form, TestContext.Current.CancellationToken);
    }

    /// <summary>Every entry of a record's timeline, walking the pages.</summary>
    public static async Task<List<JsonNode>> TimelineAsync(this HttpClient client, string records, Guid id, int limit = 50)
    {
        var entries = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"/api/v1/{records}/{id}/timeline?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            entries.AddRange(page["data"]!.AsArray().Select(e => e!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return entries;
    }
}
