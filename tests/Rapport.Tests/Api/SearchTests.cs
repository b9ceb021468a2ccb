using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Global search: Chinese and Latin substrings, emails, domains, phones in any format, tags; record and field access; the index in step with every write.</summary>
public sealed class SearchTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> SearchAsync(Tenant who, string q, string? types = null)
    {
        var response = await who.Client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}{(types is null ? "" : "&types=" + types)}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>The ids found for <paramref name="q"/>, best first, with the field that matched.</summary>
    private static async Task<List<(Guid Id, string Field)>> FoundAsync(Tenant who, string q, string? types = null) =>
        [.. (await SearchAsync(who, q, types))["groups"]!.AsArray().SelectMany(g => g!["results"]!.AsArray())
            .Select(r => (Guid.Parse(r!["id"]!.GetValue<string>()), r["field"]!.GetValue<string>()))];

    private static async Task<Guid> ContactAsync(Tenant who, object body)
    {
        var response = await who.Client.PostJsonAsync("/api/v1/contacts", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Chinese_substrings_of_one_two_and_three_characters_and_Latin_words_find_records(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var xiaoming = await ContactAsync(tenant, new { firstName = "小明", lastName = "王" });
        var lisi = await ContactAsync(tenant, new { firstName = "四", lastName = "李" });
        var ada = await ContactAsync(tenant, new { firstName = "Ada", lastName = "Lovelace" });
        var (acme, _) = await tenant.Client.CreateCompanyAsync(new { name = "Big Acme Trading 北京分公司" });

        Assert.Equal([(xiaoming, "name")], await FoundAsync(tenant, "小明"));
        Assert.Equal([(xiaoming, "name")], await FoundAsync(tenant, "王小明"));
        Assert.Equal([(xiaoming, "name")], await FoundAsync(tenant, "明"));
        Assert.Equal([(lisi, "name")], await FoundAsync(tenant, "李"));
        Assert.Empty(await FoundAsync(tenant, "王明"));
        Assert.Equal([(ada, "name")], await FoundAsync(tenant, "love"));
        Assert.Equal([(ada, "name")], await FoundAsync(tenant, "ADA lov"));
        Assert.Equal([(acme, "name")], await FoundAsync(tenant, "acme"));
        Assert.Equal([(acme, "name")], await FoundAsync(tenant, "trad"));
        Assert.Equal([(acme, "name")], await FoundAsync(tenant, "北京"));
        Assert.Equal([(acme, "name")], await FoundAsync(tenant, "分公司"));
        Assert.Empty(await FoundAsync(tenant, "xyz"));

        var answer = await SearchAsync(tenant, "小明");
        var hit = answer["groups"]![0]!["results"]![0]!;
        Assert.Equal("contact", answer["groups"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("王小明", hit["title"]!.GetValue<string>());
        Assert.Equal($"/contacts/{xiaoming}", hit["link"]!.GetValue<string>());
        Assert.Equal($"/companies/{acme}", (await SearchAsync(tenant, "acme"))["groups"]![0]!["results"]![0]!["link"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Emails_domains_phones_in_any_format_and_tags_find_records(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PatchJsonAsync("/api/v1/workspace", new { defaultCountry = "CN" }, "*")).StatusCode);
        var contact = await ContactAsync(tenant, new
        {
            lastName = "Wang", emails = new[] { "Wang.XM@acme-corp.cn" }, phones = new[] { "138 0013 8000" }, tags = new[] { "VIP客户" }, jobTitle = "采购经理",
        });
        var (company, _) = await tenant.Client.CreateCompanyAsync(new
        {
            name = "Acme", domain = "acme.example", website = "https://www.acme-shop.example/about", phone = "010 6552 8888", tags = new[] { "Key account" },
            industry = "Manufacturing",
        });

        foreach (var q in new[] { "wang.xm@acme-corp.cn", "acme-corp.cn", "wang.xm", "wangxm", "acme-corp" })
        {
            Assert.Equal([(contact, "emails")], await FoundAsync(tenant, q, "contact"));
        }

        foreach (var q in new[] { "138 0013 8000", "13800138000", "+86 138 0013 8000", "+8613800138000", "0086 138-0013-8000", "138001" })
        {
            Assert.Equal([(contact, "phones")], await FoundAsync(tenant, q));
        }

        Assert.Equal([(contact, "tags")], await FoundAsync(tenant, "vip"));
        Assert.Equal([(contact, "tags")], await FoundAsync(tenant, "客户"));
        Assert.Equal([(contact, "jobTitle")], await FoundAsync(tenant, "经理"));
        Assert.Equal([(company, "domain")], await FoundAsync(tenant, "acme.example", "company"));
        Assert.Equal([(company, "website")], await FoundAsync(tenant, "acme-shop"));
        Assert.Equal([(company, "website")], await FoundAsync(tenant, "www.acme-shop.example"));
        foreach (var q in new[] { "+86 10 6552 8888", "(010) 6552-8888", "6552 8888" })
        {
            Assert.Equal([(company, "phone")], await FoundAsync(tenant, q));
        }

        Assert.Equal([(company, "tags")], await FoundAsync(tenant, "key acc"));
        Assert.Equal([(company, "industry")], await FoundAsync(tenant, "manufact"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Names_and_exact_matches_rank_first(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var byEmail = await ContactAsync(tenant, new { lastName = "Li", emails = new[] { "wang@example.com" } });
        var byName = await ContactAsync(tenant, new { firstName = "Fang", lastName = "Wang" });
        var longer = await ContactAsync(tenant, new { firstName = "小明", lastName = "王" });
        var exact = await ContactAsync(tenant, new { lastName = "小明" });

        Assert.Equal([byName, byEmail], (await FoundAsync(tenant, "wang")).Select(f => f.Id));
        Assert.Equal([exact, longer], (await FoundAsync(tenant, "小明")).Select(f => f.Id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_hidden_field_never_makes_a_record_match_nor_shows_in_its_title(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var role = await admin.Client.PostJsonAsync("/api/v1/roles", new
        {
            name = "Switchboard",
            permissions = new { contact = new { read = "all" }, company = new { read = "all" } },
            fields = new { contact = new { emails = "hidden", phones = "hidden" }, company = new { domain = "hidden" } },
        });
        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        var clerk = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{clerk.UserId}/roles")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { Guid.Parse((await role.JsonAsync())["id"]!.GetValue<string>()) } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(assign, Ct)).StatusCode);
        var contact = await ContactAsync(admin, new { firstName = "Mei", lastName = "Chen", emails = new[] { "secret.mei@hidden.example" }, phones = new[] { "+86 139 1111 2222" } });
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Quiet Ltd", domain = "quiet-secret.example" });

        Assert.Equal([(contact, "emails")], await FoundAsync(admin, "secret.mei"));
        Assert.Equal([(contact, "phones")], await FoundAsync(admin, "13911112222"));
        Assert.Equal([(company, "domain")], await FoundAsync(admin, "quiet-secret"));
        Assert.Empty(await FoundAsync(clerk, "secret.mei"));
        Assert.Empty(await FoundAsync(clerk, "hidden.example"));
        Assert.Empty(await FoundAsync(clerk, "13911112222"));
        Assert.Empty(await FoundAsync(clerk, "quiet-secret"));

        var byName = (await SearchAsync(clerk, "chen"))["groups"]![0]!["results"]![0]!;
        Assert.Equal(contact, Guid.Parse(byName["id"]!.GetValue<string>()));
        Assert.DoesNotContain("secret", byName.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("quiet-secret", (await SearchAsync(clerk, "quiet")).ToJsonString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_records_the_caller_may_read_are_found_and_never_another_workspaces(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        var others = await ContactAsync(admin, new { lastName = "Zhao", firstName = "Admin's" });
        var own = await ContactAsync(rep, new { lastName = "Zhao", firstName = "Rep's" });
        await ContactAsync(stranger, new { lastName = "Zhao", firstName = "Stranger's" });

        Assert.Equal([own], (await FoundAsync(rep, "zhao")).Select(f => f.Id));
        Assert.Equal([others, own], (await FoundAsync(admin, "zhao")).Select(f => f.Id).Order());
        Assert.DoesNotContain((await FoundAsync(stranger, "zhao")).Select(f => f.Id), id => id == others || id == own);
        var roleless = await factory.InviteAsync(admin);
        Assert.Empty(await FoundAsync(roleless, "zhao"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_index_follows_updates_the_trash_and_restores_in_the_same_transaction(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var created = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Sun", firstName = "悟空", emails = new[] { "wukong@huaguo.example" } });
        var id = Guid.Parse((await created.JsonAsync())["id"]!.GetValue<string>());
        var url = $"/api/v1/contacts/{id}";

        var renamed = await tenant.Client.PatchJsonAsync(url, new { firstName = "悟净", emails = Array.Empty<string>() }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Empty(await FoundAsync(tenant, "悟空"));
        Assert.Empty(await FoundAsync(tenant, "huaguo"));
        Assert.Equal([(id, "name")], await FoundAsync(tenant, "悟净"));
        Assert.Equal(["name"], (await RowsAsync(factory, tenant, id)).Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]));

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(url, renamed.Headers.ETag!.Tag)).StatusCode);
        Assert.Empty(await FoundAsync(tenant, "悟净"));
        Assert.Empty(await RowsAsync(factory, tenant, id));

        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostJsonAsync($"{url}/restore", new { })).StatusCode);
        Assert.Equal([(id, "name")], await FoundAsync(tenant, "悟净"));

        var (company, etag) = await tenant.Client.CreateCompanyAsync(new { name = "花果山 Fruit Co" });
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/companies/{company}", etag)).StatusCode);
        Assert.Empty(await FoundAsync(tenant, "花果"));
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostJsonAsync($"/api/v1/companies/{company}/restore", new { })).StatusCode);
        Assert.Equal([(company, "name")], await FoundAsync(tenant, "花果"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_save_that_fails_leaves_the_index_as_it_was(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var id = await ContactAsync(tenant, new { lastName = "Tang", firstName = "Seng" });
        await using var first = factory.WorkspaceScope(tenant.WorkspaceId, out var early);
        await using var second = factory.WorkspaceScope(tenant.WorkspaceId, out var late);
        var stale = await early.Set<Contact>().SingleAsync(c => c.Id == id, Ct);
        var fresh = await late.Set<Contact>().SingleAsync(c => c.Id == id, Ct);

        Rename(fresh, "Wukong");
        await late.SaveChangesAsync(Ct);
        Rename(stale, "Bajie");
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => early.SaveChangesAsync(Ct));

        Assert.Equal([(id, "name")], await FoundAsync(tenant, "wukong"));
        Assert.Empty(await FoundAsync(tenant, "bajie"));
    }

    private static void Rename(Contact contact, string firstName) =>
        contact.Change(contact.Fields with { FirstName = firstName }, [.. contact.Phones.Zip(contact.PhonesAsTyped)]);

    [Fact]
    public async Task The_search_endpoint_is_documented()
    {
        var document = await (await hosts.For(TestDatabases.Sqlite).CreateClient().GetAsync("/openapi/v1.json", Ct)).JsonAsync();
        var search = document["paths"]!["/api/v1/search"]!["get"]!;
        Assert.Equal(["q", "types", "limit"], search["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.NotNull(search["responses"]!["200"]);
        Assert.NotNull(search["responses"]!["400"]);
        Assert.Contains("小明", search["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rebuild_writes_the_same_index(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var id = await ContactAsync(tenant, new { lastName = "周", firstName = "杰伦", phones = new[] { "+886 912 345 678" } });
        var before = await RowsAsync(factory, tenant, id);

        Assert.Equal(1, await factory.Services.GetRequiredService<SearchIndex>().RebuildAsync(tenant.WorkspaceId, Ct));

        Assert.Equal(before, await RowsAsync(factory, tenant, id));
        Assert.Equal([(id, "name")], await FoundAsync(tenant, "杰伦"));
        Assert.Equal([(id, "phones")], await FoundAsync(tenant, "0912 345 678"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Empty_or_too_long_queries_unknown_types_and_bad_limits_are_refused(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        foreach (var (query, field) in new[] { ("q=", "q"), ("q=%20", "q"), ($"q={new string('a', 201)}", "q"), ("q=a&types=ticket", "types"), ("q=a&limit=0", "limit"), ("q=a&limit=51", "limit") })
        {
            var response = await tenant.Client.GetAsync($"/api/v1/search?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull((await response.JsonAsync())["errors"]![field]);
        }

        await ContactAsync(tenant, new { lastName = "Only" });
        var (company, _) = await tenant.Client.CreateCompanyAsync(new { name = "Only Company" });
        Assert.Equal([(company, "name")], await FoundAsync(tenant, "only", "company"));
        Assert.Empty((await SearchAsync(tenant, "?!"))["groups"]!.AsArray());
    }

    private static async Task<List<string>> RowsAsync(RapportFactory factory, Tenant tenant, Guid id)
    {
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        return await db.Set<SearchEntry>().Where(e => e.RecordId == id).OrderBy(e => e.Field).Select(e => e.Field + ":" + e.Text).ToListAsync(Ct);
    }
}
