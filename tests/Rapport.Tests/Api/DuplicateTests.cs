using System.Net;
using System.Text.Json.Nodes;
using Rapport.Modules.Customers.Duplicates;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Likely duplicates while typing, and the duplicate finder with its "not a duplicate" dismissals.</summary>
public sealed class DuplicateTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Acme, Inc.", "ACME Ltd")]
    [InlineData("Acme Corp", "acme")]
    [InlineData("Müller GmbH", "Muller")]
    [InlineData("Foo B.V.", "foo")]
    [InlineData("The Example Company", "Example Co., Ltd.")]
    [InlineData("小米科技有限责任公司", "小米科技股份有限公司")]
    [InlineData("华为技术有限公司", "华为技术")]
    [InlineData("ＡＢＣ　有限公司", "abc")]
    public void Company_names_equal_once_case_punctuation_and_legal_suffixes_are_removed(string a, string b) =>
        Assert.Equal(NameKeys.Company(a), NameKeys.Company(b));

    [Fact]
    public void Names_compare_in_either_order_and_Chinese_by_characters()
    {
        Assert.Equal(NameKeys.Person("Ada", "Lovelace"), NameKeys.Person("LOVELACE", "Ada"));
        Assert.Equal("王小明", NameKeys.Person("小明", "王"));
        Assert.Equal(NameKeys.Person("小明", "王"), NameKeys.Person(null, "王小明"));
        Assert.Equal(1, NameKeys.Similar("王小明", NameKeys.Person("晓明", "王")!, person: true));
        Assert.Null(NameKeys.Similar("王伟", "王芳", person: true));
        Assert.Equal(1, NameKeys.Similar(NameKeys.Person("Jon", "Smith")!, NameKeys.Person("John", "Smith")!, person: true));
        Assert.Equal(1, NameKeys.Similar(NameKeys.Company("Globex Corporation")!, NameKeys.Company("Globax Inc")!, person: false));
        Assert.Null(NameKeys.Similar(NameKeys.Company("Acme")!, NameKeys.Company("Acne")!, person: false));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Contacts_being_typed_show_exact_and_similar_matches_the_caller_may_read(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Wanda Trading" });
        var wang = await CreateContactAsync(admin, new { firstName = "小明", lastName = "王", emails = new[] { "xm@wanda.example" }, phones = new[] { "+86 138 0013 8000" }, companyId = company });
        var ada = await CreateContactAsync(admin, new { firstName = "Ada", lastName = "Lovelace", companyId = company });
        await CreateContactAsync(stranger, new { lastName = "Elsewhere", emails = new[] { "xm@wanda.example" } });

        var byPhone = await SuggestAsync(admin, "contacts", new { lastName = "Nobody", phones = new[] { "+86 13800138000" } });
        var match = Assert.Single(byPhone);
        Assert.Equal(wang, match["id"]!.GetValue<Guid>());
        Assert.True(match["exact"]!.GetValue<bool>());
        Assert.Equal("phone", match["reasons"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(95, match["score"]!.GetValue<int>());

        var byEmail = Assert.Single(await SuggestAsync(admin, "contacts", new { emails = new[] { "XM@wanda.example " } }));
        Assert.Equal(wang, byEmail["id"]!.GetValue<Guid>());

        var sameName = Assert.Single(await SuggestAsync(admin, "contacts", new { firstName = "Ada", lastName = "LOVELACE", companyId = company }));
        Assert.Equal(("name", false, 75), (sameName["reasons"]![0]!["kind"]!.GetValue<string>(), sameName["exact"]!.GetValue<bool>(), sameName["score"]!.GetValue<int>()));
        var similar = Assert.Single(await SuggestAsync(admin, "contacts", new { firstName = "晓明", lastName = "王", companyId = company }));
        Assert.Equal((wang, "similarName"), (similar["id"]!.GetValue<Guid>(), similar["reasons"]![0]!["kind"]!.GetValue<string>()));
        Assert.Empty(await SuggestAsync(admin, "contacts", new { firstName = "晓明", lastName = "王" })); // a name alone, at no company, is too common
        Assert.Empty(await SuggestAsync(admin, "contacts", new { firstName = "Ada", lastName = "Lovelace", companyId = company, excludeId = ada }));

        Assert.Empty(await SuggestAsync(rep, "contacts", new { emails = new[] { "xm@wanda.example" } })); // the admin's contact is not the rep's to see
        var foreign = Assert.Single(await SuggestAsync(stranger, "contacts", new { emails = new[] { "xm@wanda.example" } }));
        Assert.NotEqual(wang, foreign["id"]!.GetValue<Guid>());

        var refused = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Copy", emails = new[] { "xm@wanda.example" } });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(wang, (await refused.JsonAsync())["duplicates"]![0]!["id"]!.GetValue<Guid>());

        var unknown = await admin.Client.PostJsonAsync("/api/v1/contacts/duplicates", new { jobTitle = "not a probe field" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_being_typed_match_on_domain_normalized_and_similar_names(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (acme, _) = await admin.Client.CreateCompanyAsync(new { name = "ACME, Inc.", domain = "acme.example" });
        var (xiaomi, _) = await admin.Client.CreateCompanyAsync(new { name = "小米科技有限责任公司" });
        var (globex, _) = await admin.Client.CreateCompanyAsync(new { name = "Globex Corporation" });

        var byName = Assert.Single(await SuggestAsync(admin, "companies", new { name = "Acme Ltd" }));
        Assert.Equal((acme, "companyName", 80), (byName["id"]!.GetValue<Guid>(), byName["reasons"]![0]!["kind"]!.GetValue<string>(), byName["score"]!.GetValue<int>()));
        var byDomain = Assert.Single(await SuggestAsync(admin, "companies", new { name = "Something else", domain = "ACME.example" }));
        Assert.True(byDomain["exact"]!.GetValue<bool>());
        Assert.Equal(xiaomi, Assert.Single(await SuggestAsync(admin, "companies", new { name = "小米科技股份有限公司" }))["id"]!.GetValue<Guid>());
        var similar = Assert.Single(await SuggestAsync(admin, "companies", new { name = "Globax Inc" }));
        Assert.Equal((globex, "similarCompanyName"), (similar["id"]!.GetValue<Guid>(), similar["reasons"]![0]!["kind"]!.GetValue<string>()));
        Assert.Empty(await SuggestAsync(admin, "companies", new { name = "ACME", excludeId = acme }));

        // Soft matches are suggestions: saving is not refused.
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/companies", new { name = "Acme Ltd" })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_finder_lists_each_pair_once_pages_and_forgets_dismissed_pairs(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Initech" });
        var a = await CreateContactAsync(admin, new { lastName = "Lumbergh", firstName = "Bill", emails = new[] { "bill@initech.example" }, phones = new[] { "+1 415 555 0101" }, companyId = company });
        var b = await CreateContactAsync(admin, new { lastName = "Lumbergh", firstName = "William", emails = new[] { "bill@initech.example" }, phones = new[] { "+14155550101" } }, allowDuplicate: true);
        var c = await CreateContactAsync(admin, new { lastName = "Gibbons", firstName = "Peter", companyId = company });
        var d = await CreateContactAsync(admin, new { firstName = "peter", lastName = "GIBBONS", companyId = company });
        await CreateContactAsync(admin, new { lastName = "Unique", emails = new[] { "unique@initech.example" } });

        var pairs = await AllPairsAsync(admin, "contact", limit: 1);
        Assert.Equal(2, pairs.Count);
        var byEmail = pairs.Single(p => Ids(p).SetEquals([a, b]));
        Assert.Equal(["email", "phone"], byEmail["reasons"]!.AsArray().Select(r => r!["kind"]!.GetValue<string>()).Order());
        Assert.Equal(100, byEmail["score"]!.GetValue<int>());
        var byName = pairs.Single(p => Ids(p).SetEquals([c, d]));
        Assert.Equal("name", byName["reasons"]![0]!["kind"]!.GetValue<string>());

        var dismissed = await admin.Client.PostJsonAsync("/api/v1/duplicates/dismissals", new { entity = "contact", firstId = d, secondId = c });
        Assert.Equal(HttpStatusCode.Created, dismissed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync("/api/v1/duplicates/dismissals", new { entity = "contact", firstId = c, secondId = d })).StatusCode);
        Assert.True(Ids(Assert.Single(await AllPairsAsync(admin, "contact"))).SetEquals([a, b]));

        await admin.Client.CreateCompanyAsync(new { name = "Initech LLC" });
        await admin.Client.CreateCompanyAsync(new { name = "INITECH, Inc." });
        var companyPairs = await AllPairsAsync(admin, "company", limit: 1);
        Assert.Equal(3, companyPairs.Count);
        Assert.All(companyPairs, p => Assert.Equal("initech", p["reasons"]![0]!["value"]!.GetValue<string>()));

        var bad = await admin.Client.GetAsync("/api/v1/duplicates?entity=contact&cursor=nonsense", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/api/v1/duplicates?entity=deal", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_finder_shows_only_pairs_the_caller_may_merge_and_hidden_fields_make_no_pair(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var agent = await factory.InviteAsync(admin, "support-agent");
        var stranger = await factory.SignUpAsync();
        await CreateContactAsync(admin, new { lastName = "Admin one", emails = new[] { "shared@example.com" } });
        await CreateContactAsync(admin, new { lastName = "Admin two", emails = new[] { "shared@example.com" } }, allowDuplicate: true);
        var mine = await CreateContactAsync(rep, new { lastName = "Rep one", phones = new[] { "+49 30 1234567" } });
        var mineToo = await CreateContactAsync(rep, new { lastName = "Rep two", phones = new[] { "+49 30 1234567" } }, allowDuplicate: true);

        Assert.True(Ids(Assert.Single(await AllPairsAsync(rep, "contact"))).SetEquals([mine, mineToo]));
        Assert.Equal(2, (await AllPairsAsync(admin, "contact")).Count);
        Assert.Empty(await AllPairsAsync(stranger, "contact"));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.GetAsync("/api/v1/duplicates?entity=contact", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.PostJsonAsync("/api/v1/duplicates/dismissals", new { entity = "contact", firstId = mine, secondId = mineToo })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostJsonAsync("/api/v1/duplicates/dismissals", new { entity = "contact", firstId = mine, secondId = mineToo })).StatusCode);

        // A role that hides phones: the phone pair is gone, and nothing in the answer shows a phone.
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var repRole = roles.Single(r => r!["builtIn"]?.GetValue<string>() == "sales-rep")!;
        var patched = await admin.Client.PatchJsonAsync($"/api/v1/roles/{repRole["id"]}", new { fields = new { contact = new { phones = "hidden" } } }, "*");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Empty(await AllPairsAsync(rep, "contact"));
        Assert.Empty(await SuggestAsync(rep, "contacts", new { phones = new[] { "+49 30 1234567" } }));
    }

    internal static async Task<Guid> CreateContactAsync(Tenant tenant, object body, bool allowDuplicate = false)
    {
        var response = await tenant.Client.PostJsonAsync("/api/v1/contacts" + (allowDuplicate ? "?allowDuplicate=true" : ""), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync())["id"]!.GetValue<Guid>();
    }

    private static async Task<List<JsonNode>> SuggestAsync(Tenant tenant, string type, object probe)
    {
        var response = await tenant.Client.PostJsonAsync($"/api/v1/{type}/duplicates", probe);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync())["data"]!.AsArray().Select(n => n!)];
    }

    internal static async Task<List<JsonNode>> AllPairsAsync(Tenant tenant, string entity, int limit = 25)
    {
        var pairs = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var response = await tenant.Client.GetAsync($"/api/v1/duplicates?entity={entity}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            pairs.AddRange(page["data"]!.AsArray().Select(n => n!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(pairs.Count, pairs.Select(p => string.Join(',', Ids(p).Order())).Distinct().Count());
        return pairs;
    }

    internal static HashSet<Guid> Ids(JsonNode pair) => [pair["first"]!["id"]!.GetValue<Guid>(), pair["second"]!["id"]!.GetValue<Guid>()];
}
