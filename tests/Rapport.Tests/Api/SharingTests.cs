using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Manual sharing: a record shared with a member or team for read or edit, on top of their roles.</summary>
public sealed class SharingTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_share_opens_one_record_for_read_or_edit_until_revoked(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (id, etag) = await admin.Client.CreateCompanyAsync(new { name = "Shared deal" });
        await admin.Client.CreateCompanyAsync(new { name = "Not shared" });
        var url = $"/api/v1/companies/{id}";
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync(url, Ct)).StatusCode);

        var share = await admin.Client.PostJsonAsync($"{url}/shares", new { userId = rep.UserId, access = "read" });
        Assert.Equal(HttpStatusCode.OK, share.StatusCode);
        var shareId = (await share.JsonAsync())["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync(url, Ct)).StatusCode);
        var names = (await (await rep.Client.GetAsync("/api/v1/companies", Ct)).JsonAsync())["data"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Shared deal"], names);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync(url, new { industry = "Retail" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync($"{url}/shares", new { userId = rep.UserId, access = "edit" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"{url}/shares", new { userId = rep.UserId, access = "edit" })).StatusCode);
        Assert.Single((await (await admin.Client.GetAsync($"{url}/shares", Ct)).JsonAsync()).AsArray());
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.PatchJsonAsync(url, new { industry = "Retail" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.DeleteAsync(url, "*")).StatusCode);

        var explain = await (await admin.Client.GetAsync($"/api/v1/access/explain?userId={rep.UserId}&entity=company&id={id}", Ct)).JsonAsync();
        var update = explain["actions"]!.AsArray().Single(a => a!["action"]!.GetValue<string>() == "update")!;
        Assert.True(update["allowed"]!.GetValue<bool>());
        Assert.Contains("shared", update["reason"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{url}/shares/{shareId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync(url, Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_team_share_reaches_every_member_of_the_team_and_owners_share_their_own(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var colleague = await factory.InviteAsync(admin, "sales-rep");
        var team = (await (await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "Pod", memberIds = new[] { colleague.UserId } })).JsonAsync())["id"]!.GetValue<string>();

        var (mine, _) = await rep.Client.CreateCompanyAsync(new { name = "Rep's own" });
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.PostJsonAsync($"/api/v1/companies/{mine}/shares", new { teamId = team, access = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.Client.GetAsync($"/api/v1/companies/{mine}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await rep.Client.PostJsonAsync($"/api/v1/companies/{mine}/shares", new { access = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await rep.Client.PostJsonAsync($"/api/v1/companies/{mine}/shares", new { userId = Guid.NewGuid(), access = "read" })).StatusCode);
        var stranger = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/companies/{mine}/shares", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostJsonAsync($"/api/v1/companies/{mine}/shares", new { userId = stranger.UserId, access = "edit" })).StatusCode);
    }
}
