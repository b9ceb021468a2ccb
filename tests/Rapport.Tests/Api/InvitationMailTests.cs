using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>With a mail server configured, an invitation is emailed in the workspace's first language; the link stays in the answer.</summary>
public sealed class InvitationMailTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_invitation_mail_carries_the_link_on_the_public_base_url(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync("Mailed Co");
        var email = $"{Guid.NewGuid():N}@example.com";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/invitations") { Content = System.Net.Http.Json.JsonContent.Create(new { email }) };
        request.Headers.Host = "evil.example";

        var invited = await admin.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var link = (await invited.JsonAsync())["link"]!.GetValue<string>();
        Assert.StartsWith(RapportFactory.PublicBaseUrl + "/account/invite?token=", link);
        var message = await TestMail.WaitForAsync(email);
        Assert.Contains(link, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Mailed Co", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Test Admin invited you", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", message.TextBody, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_chinese_workspace_invites_in_chinese(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync("上海贸易");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync("/api/v1/workspace", new { languages = new[] { "zh-Hans", "en" } }, "*")).StatusCode);
        var email = $"{Guid.NewGuid():N}@example.com";

        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/invitations", new { email })).StatusCode);

        var message = await TestMail.WaitForAsync(email);
        Assert.Equal("Test Admin 邀请您加入 Rapport 工作区“上海贸易”", message.Subject);
        Assert.Contains("接受邀请", message.TextBody, StringComparison.Ordinal);
        Assert.Contains(RapportFactory.PublicBaseUrl + "/account/invite?token=", message.TextBody, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_administrators_send_invitations_and_nothing_is_mailed_otherwise(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var email = $"{Guid.NewGuid():N}@example.com";

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostJsonAsync("/api/v1/invitations", new { email })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync("/api/v1/invitations", new { email })).StatusCode);

        await Task.Delay(500, Ct);
        Assert.Empty(TestMail.Find(email));
    }
}
