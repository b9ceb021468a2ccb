using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class ContactTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Contact_phones_are_stored_in_E164_with_the_workspace_country_and_emails_lower_case(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (company, _) = await tenant.Client.CreateCompanyAsync(new { name = "Employer" });
        var created = await tenant.Client.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ada", lastName = "Lovelace", emails = new[] { "Ada@Example.COM", "ada@home.example" },
            phones = new[] { "(415) 555-2671", "+86 138 0013 8000" }, jobTitle = "Engineer", birthday = "1815-12-10", companyId = company,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal(["+14155552671", "+8613800138000"], body["phones"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("ada@example.com", body["emails"]![0]!.GetValue<string>());
        Assert.Equal(company.ToString(), body["companyIds"]![0]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", body["displayName"]!.GetValue<string>());

        var chinese = await (await tenant.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "小明", lastName = "王" })).JsonAsync();
        Assert.Equal("王小明", chinese["displayName"]!.GetValue<string>());

        var url = $"/api/v1/contacts/{body["id"]!.GetValue<string>()}";
        var patched = await tenant.Client.PatchJsonAsync(url, new { phones = new[] { "415-555-2672" }, companyIds = Array.Empty<Guid>(), companyId = (Guid?)null }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await patched.JsonAsync();
        Assert.Equal("+14155552672", after["phones"]![0]!.GetValue<string>());
        Assert.Empty(after["companyIds"]!.AsArray());
        var list = await (await tenant.Client.GetAsync($"/api/v1/contacts?filter={Uri.EscapeDataString("""{"field":"lastName","op":"eq","value":"王"}""")}", Ct)).JsonAsync();
        Assert.Single(list["data"]!.AsArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Invalid_contacts_are_refused_by_field_and_nothing_is_written(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var (foreignCompany, _) = await stranger.Client.CreateCompanyAsync(new { name = "Not yours" });

        var nameless = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { jobTitle = "Ghost" });
        Assert.NotNull((await nameless.JsonAsync())["errors"]!["lastName"]);
        var badPhone = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "X", phones = new[] { "12" } });
        Assert.NotNull((await badPhone.JsonAsync())["errors"]!["phones[0]"]);
        var badEmail = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "X", emails = new[] { "not-an-email" } });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        var foreign = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "X", companyIds = new[] { foreignCompany } });
        Assert.NotNull((await foreign.JsonAsync())["errors"]!["companyIds"]);
        var system = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "X", workspaceId = stranger.WorkspaceId });
        Assert.NotNull((await system.JsonAsync())["errors"]!["workspaceId"]);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<Contact>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Contacts_follow_tenancy_roles_concurrency_and_the_trash(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        var created = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Private" });
        var etag = created.Headers.ETag!.Tag;
        var url = $"/api/v1/contacts/{(await created.JsonAsync())["id"]!.GetValue<string>()}";

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync(url, new { lastName = "Pwned" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Empty((await (await rep.Client.GetAsync("/api/v1/contacts", Ct)).JsonAsync())["data"]!.AsArray());

        Assert.Equal((HttpStatusCode)428, (await admin.Client.PatchJsonAsync(url, new { lastName = "New" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync(url, new { lastName = "New" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.PatchJsonAsync(url, new { lastName = "Newer" }, etag)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Single((await (await admin.Client.GetAsync("/api/v1/contacts?trash=true", Ct)).JsonAsync())["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"{url}/restore", new { })).StatusCode);
        Assert.Equal("New", (await (await admin.Client.GetAsync(url, Ct)).JsonAsync())["lastName"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_exact_duplicate_by_email_or_phone_is_refused_unless_allowed(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Original", emails = new[] { "same@example.com" }, phones = new[] { "+1 415 555 2671" } });

        var byEmail = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Copy", emails = new[] { "SAME@example.com" } });
        Assert.Equal(HttpStatusCode.Conflict, byEmail.StatusCode);
        Assert.Contains("Original", (await byEmail.JsonAsync())["detail"]!.GetValue<string>());
        var byPhone = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Copy", phones = new[] { "(415) 555-2671" } });
        Assert.Equal(HttpStatusCode.Conflict, byPhone.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contacts?allowDuplicate=true", new { lastName = "Copy", phones = new[] { "(415) 555-2671" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await stranger.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Elsewhere", emails = new[] { "same@example.com" } })).StatusCode);

        var other = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Other", emails = new[] { "other@example.com" } });
        var url = $"/api/v1/contacts/{(await other.JsonAsync())["id"]!.GetValue<string>()}";
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PatchJsonAsync(url, new { emails = new[] { "other@example.com", "same@example.com" } }, other.Headers.ETag!.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync(url, new { jobTitle = "Unchanged emails are fine" }, other.Headers.ETag!.Tag)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Contacts_carry_stage_source_language_and_tags(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var created = await tenant.Client.PostJsonAsync("/api/v1/contacts", new
        {
            lastName = "Tagged", lifecycleStage = "prospect", source = "Trade fair 2026", preferredLanguage = "zh-Hans", tags = new[] { "vip", "vip", "beijing" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal(["vip", "beijing"], body["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("zh-Hans", body["preferredLanguage"]!.GetValue<string>());
        var bad = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Bad", lifecycleStage = "friend", preferredLanguage = "xx" });
        var errors = (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("lifecycleStage", errors);
        Assert.Contains("preferredLanguage", errors);
        var filter = Uri.EscapeDataString("""{"field":"source","op":"startsWith","value":"trade"}""");
        Assert.Single((await (await tenant.Client.GetAsync($"/api/v1/contacts?filter={filter}", Ct)).JsonAsync())["data"]!.AsArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_contact_keeps_an_address_that_lists_filter_on_and_a_bad_country_is_refused(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var created = await tenant.Client.PostJsonAsync("/api/v1/contacts", new
        {
            lastName = "Addressed", address = new { street = "1 Bund Road", city = "Shanghai", postalCode = "200000", country = "cn" },
        });
        var body = await created.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("CN", body["address"]!["country"]!.GetValue<string>());
        Assert.Equal("Shanghai", body["address"]!["city"]!.GetValue<string>());
        var list = await (await tenant.Client.GetAsync($"/api/v1/contacts?filter={Uri.EscapeDataString("""{"field":"address.city","op":"eq","value":"Shanghai"}""")}", Ct)).JsonAsync();
        Assert.Single(list["data"]!.AsArray());

        var bad = await tenant.Client.PatchJsonAsync($"/api/v1/contacts/{body["id"]}", new { address = new { country = "China" } }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.JsonAsync())["errors"]!["address.country"]);
        var after = await (await tenant.Client.GetAsync($"/api/v1/contacts/{body["id"]}", Ct)).JsonAsync();
        Assert.Equal("CN", after["address"]!["country"]!.GetValue<string>());
        Assert.Equal(1, after["version"]!.GetValue<int>());
    }
}
