using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Collaboration.Activities;
using Rapport.Modules.Collaboration.Notes;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Infrastructure.TestActivities;

namespace Rapport.Tests.Api;

/// <summary>Notes: sanitized rich text on any number of records' timelines, with mentions; written and changed by those allowed.</summary>
public sealed class NoteTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_note_is_sanitized_and_shows_on_the_timeline_of_every_record_it_links(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var colleague = await factory.InviteAsync(admin, "sales-rep");
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Linked Ltd" });
        var (contact, _) = await admin.Client.CreateContactAsync(new { firstName = "Lin", lastName = "Ked", companyId = company });
        var (other, _) = await admin.Client.CreateCompanyAsync(new { name = "Unrelated Ltd" });

        var html = "<p onclick=\"steal()\">Call went <b style=\"color:red\">well</b><script>alert(1)</script>" +
                   "<img src=x onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">bad</a> <a href=\"https://example.com/terms\">terms</a></p>" +
                   "<ul><li>one</li></ul><style>p{}</style><iframe src=\"https://evil.example\"></iframe>";
        var response = await admin.Client.PostJsonAsync("/api/v1/notes",
            new { html, links = new[] { Link("company", company), Link("contact", contact) }, mentions = new[] { colleague.UserId } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var note = await response.JsonAsync();
        var saved = note["html"]!.GetValue<string>();
        foreach (var banned in new[] { "script", "onerror", "onclick", "javascript:", "style", "iframe", "<img", "alert" })
        {
            Assert.DoesNotContain(banned, saved, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("<b>well</b>", saved, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/terms\"", saved, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", saved, StringComparison.Ordinal);
        Assert.Equal([colleague.UserId.ToString()], note["mentions"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["Lin Ked", "Linked Ltd"], note["links"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var id = Guid.Parse(note["id"]!.GetValue<string>());

        Assert.Contains(await admin.Client.TimelineAsync("companies", company), e => e["kind"]!.GetValue<string>() == "note" && e["id"]!.GetValue<Guid>() == id);
        Assert.Contains(await admin.Client.TimelineAsync("contacts", contact), e => e["kind"]!.GetValue<string>() == "note" && e["html"]!.GetValue<string>() == saved);
        Assert.DoesNotContain(await admin.Client.TimelineAsync("companies", other), e => e["kind"]!.GetValue<string>() == "note");
        var ofContact = await (await admin.Client.GetAsync($"/api/v1/notes?entityType=contact&recordId={contact}", Ct)).JsonAsync();
        Assert.Equal(id, ofContact["data"]![0]!["id"]!.GetValue<Guid>());

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(2, await db.Set<ActivityLink>().CountAsync(l => l.ActivityId == id, Ct));
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "note" && a.EntityId == id, Ct);
        Assert.Equal(AuditActions.Create, audit.Action);
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.EntityType == "activityLink" && a.Action == AuditActions.Create && a.Changes.Contains(id.ToString()), Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Blank_notes_unknown_records_and_non_members_are_refused_with_field_errors(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Careful Co" });
        var (theirs, _) = await stranger.Client.CreateCompanyAsync(new { name = "Someone else's" });

        async Task<string> ErrorField(object body)
        {
            var response = await admin.Client.PostJsonAsync("/api/v1/notes", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return string.Join(",", (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        }

        Assert.Equal("html", await ErrorField(new { html = "<script>only()</script><p> </p>", links = new[] { Link("company", company) } }));
        Assert.Equal("links", await ErrorField(new { html = "<p>no record</p>", links = Array.Empty<object>() }));
        Assert.Equal("links[0].recordId", await ErrorField(new { html = "<p>x</p>", links = new[] { Link("company", theirs) } }));
        Assert.Equal("links[0].entityType", await ErrorField(new { html = "<p>x</p>", links = new[] { Link("planet", company) } }));
        Assert.Equal("mentions", await ErrorField(new { html = "<p>x</p>", links = new[] { Link("company", company) }, mentions = new[] { stranger.UserId } }));
        Assert.Equal("authorId", await ErrorField(new { html = "<p>x</p>", links = new[] { Link("company", company) }, authorId = stranger.UserId }));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<Note>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_the_author_or_those_who_may_change_every_linked_record_change_a_note_and_refusals_change_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var author = await factory.InviteAsync(admin, "sales-rep");
        var otherRep = await factory.InviteAsync(admin, "sales-rep");
        var reader = await factory.InviteAsync(admin, "read-only");
        var stranger = await factory.SignUpAsync();
        var (company, _) = await author.Client.CreateCompanyAsync(new { name = "Rep's account" });
        var (id, etag) = await author.Client.WriteNoteAsync("<p>first draft</p>", Link("company", company));
        var url = $"/api/v1/notes/{id}";

        Assert.Equal(HttpStatusCode.NotFound, (await otherRep.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherRep.Client.PatchJsonAsync(url, new { html = "<p>mine now</p>" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await otherRep.Client.PostJsonAsync("/api/v1/notes", new { html = "<p>x</p>", links = new[] { Link("company", company) } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.PatchJsonAsync(url, new { html = "<p>reader edit</p>" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.DeleteAsync(url, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.PostJsonAsync("/api/v1/notes", new { html = "<p>x</p>", links = new[] { Link("company", company) } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync(url, new { html = "<p>stranger</p>" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/notes", Ct)).JsonAsync())["data"]!.AsArray());
        Assert.Equal("<p>first draft</p>", (await (await author.Client.GetAsync(url, Ct)).JsonAsync())["html"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await author.Client.PatchJsonAsync(url, new { html = "<p>second</p>" }, null)).StatusCode);
        var changed = await author.Client.PatchJsonAsync(url, new { html = "<p>second <i>draft</i></p>" }, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("<p>second <i>draft</i></p>", (await changed.JsonAsync())["html"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await author.Client.PatchJsonAsync(url, new { html = "<p>stale</p>" }, etag)).StatusCode);
        var edited = (await author.Client.TimelineAsync("companies", company)).Single(e => e["kind"]!.GetValue<string>() == "note");
        Assert.NotNull(edited["editedAt"]);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync(url, new { html = "<p>admin may: every record is theirs to change</p>" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await author.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await author.Client.GetAsync(url, Ct)).StatusCode);
        Assert.DoesNotContain(await author.Client.TimelineAsync("companies", company), e => e["kind"]!.GetValue<string>() == "note");
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Changing_links_keeps_links_to_records_the_editor_cannot_see(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (repCompany, _) = await rep.Client.CreateCompanyAsync(new { name = "Rep's" });
        var (repContact, _) = await rep.Client.CreateContactAsync(new { lastName = "Rep contact" });
        var (adminCompany, _) = await admin.Client.CreateCompanyAsync(new { name = "Admin's" });
        var (id, _) = await rep.Client.WriteNoteAsync("<p>rep's note</p>", Link("company", repCompany));
        var url = $"/api/v1/notes/{id}";
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync(url, new { links = new[] { Link("company", repCompany), Link("company", adminCompany) } }, "*")).StatusCode);

        var seen = await (await rep.Client.GetAsync(url, Ct)).JsonAsync();
        Assert.Equal(["Rep's"], seen["links"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        var relinked = await rep.Client.PatchJsonAsync(url, new { links = new[] { Link("contact", repContact) } }, "*");
        Assert.Equal(HttpStatusCode.OK, relinked.StatusCode);
        Assert.Equal(["Rep contact"], (await relinked.JsonAsync())["links"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.DoesNotContain(await rep.Client.TimelineAsync("companies", repCompany), e => e["id"]!.GetValue<Guid>() == id);
        Assert.Contains(await rep.Client.TimelineAsync("contacts", repContact), e => e["id"]!.GetValue<Guid>() == id);
        Assert.Contains(await admin.Client.TimelineAsync("companies", adminCompany), e => e["id"]!.GetValue<Guid>() == id);

        var (alone, _) = await rep.Client.WriteNoteAsync("<p>only here</p>", Link("company", repCompany));
        Assert.Equal(HttpStatusCode.BadRequest, (await rep.Client.PatchJsonAsync($"/api/v1/notes/{alone}", new { links = Array.Empty<object>() }, "*")).StatusCode);
        var (adminsNote, _) = await admin.Client.WriteNoteAsync("<p>admin's</p>", Link("company", repCompany), Link("company", adminCompany));
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/notes/{adminsNote}", new { html = "<p>rep edit</p>" }, "*")).StatusCode);
    }
}
