using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Merging;
using Rapport.Modules.Collaboration.Activities;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Infrastructure.TestActivities;

namespace Rapport.Tests.Api;

/// <summary>A record's timeline: creation and field changes from the audit log, notes and files, newest first, keyset paged.</summary>
public sealed class TimelineTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_timeline_merges_changes_notes_and_files_newest_first_across_pages(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, etag) = await admin.Client.CreateCompanyAsync(new { name = "Timeline Co" });
        await admin.Client.WriteNoteAsync("<p>first note</p>", Link("company", company));
        var patched = await admin.Client.PatchJsonAsync($"/api/v1/companies/{company}", new { industry = "Shipping" }, etag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.UploadAsync("terms.txt", Encoding.UTF8.GetBytes("terms"), Link("company", company))).StatusCode);
        await admin.Client.WriteNoteAsync("<p>second note</p>", Link("company", company));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/companies/{company}", new { industry = "Rail" }, patched.Headers.ETag!.Tag)).StatusCode);

        var all = await admin.Client.TimelineAsync("companies", company, limit: 2);

        Assert.Equal(["updated", "note", "file", "updated", "note", "created"], all.Select(e => e["kind"]!.GetValue<string>()));
        Assert.Equal("<p>second note</p>", all[1]["html"]!.GetValue<string>());
        Assert.Equal("Rail", all[0]["changes"]!["industry"]!["after"]!.GetValue<string>());
        Assert.Equal("Timeline Co", all[5]["changes"]!["name"]!["after"]!.GetValue<string>());
        Assert.Equal(admin.UserId, all[2]["actorId"]!.GetValue<Guid>());
        var times = all.Select(e => e["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(all.Count, all.Select(e => e["id"]!.GetValue<Guid>()).Distinct().Count());
        Assert.Equal(all.Select(e => e["id"]!.GetValue<Guid>()), (await admin.Client.TimelineAsync("companies", company, limit: 200)).Select(e => e["id"]!.GetValue<Guid>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync($"/api/v1/companies/{company}/timeline?cursor=nonsense", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_timeline_is_for_those_who_may_read_the_record_and_hides_hidden_fields(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        var (contact, _) = await admin.Client.CreateContactAsync(new { firstName = "Private", lastName = "Person", jobTitle = "Spy" });
        await admin.Client.WriteNoteAsync("<p>secret</p>", Link("contact", contact));

        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync($"/api/v1/contacts/{contact}/timeline", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/contacts/{contact}/timeline", Ct)).StatusCode);
        Assert.Empty((await (await rep.Client.GetAsync("/api/v1/notes", Ct)).JsonAsync())["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync($"/api/v1/notes?entityType=contact&recordId={contact}", Ct)).StatusCode);

        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var repRole = roles.Single(r => r!["builtIn"]?.GetValue<string>() == "sales-rep")!;
        var update = await admin.Client.PatchJsonAsync($"/api/v1/roles/{repRole["id"]}", new
        {
            permissions = new { contact = new { read = "all" } },
            fields = new { contact = new { jobTitle = "hidden" } },
        }, "*");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        var timeline = await rep.Client.TimelineAsync("contacts", contact);
        Assert.Contains(timeline, e => e["kind"]!.GetValue<string>() == "note");
        var created = timeline.Single(e => e["kind"]!.GetValue<string>() == "created");
        Assert.Null(created["changes"]!["jobTitle"]);
        Assert.NotNull(created["changes"]!["lastName"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Merging_moves_notes_and_files_to_the_survivor_without_duplicate_links(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (survivor, _) = await admin.Client.CreateContactAsync(new { lastName = "Survivor" });
        var (merged, _) = await admin.Client.CreateContactAsync(new { lastName = "Merged" });
        var (onBoth, _) = await admin.Client.WriteNoteAsync("<p>both</p>", Link("contact", survivor), Link("contact", merged));
        var (onMerged, _) = await admin.Client.WriteNoteAsync("<p>merged only</p>", Link("contact", merged));
        var file = await (await admin.Client.UploadAsync("card.txt", Encoding.UTF8.GetBytes("card"), Link("contact", merged))).JsonAsync();

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            foreach (var participant in scope.ServiceProvider.GetServices<IRecordMergeParticipant>())
            {
                await participant.MoveAsync(db, "contact", merged, survivor, Ct);
            }

            await db.SaveChangesAsync(Ct);
            Assert.False(await db.Set<ActivityLink>().AnyAsync(l => l.RecordId == merged, Ct));
            Assert.Equal(3, await db.Set<ActivityLink>().CountAsync(l => l.RecordId == survivor, Ct));
        }

        var ids = (await admin.Client.TimelineAsync("contacts", survivor)).Where(e => e["kind"]!.GetValue<string>() is "note" or "file").Select(e => e["id"]!.GetValue<Guid>()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Contains(onBoth, ids);
        Assert.Contains(onMerged, ids);
        Assert.Contains(Guid.Parse(file["id"]!.GetValue<string>()), ids);
    }
}
