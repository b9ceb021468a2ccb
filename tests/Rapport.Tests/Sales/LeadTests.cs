using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Leads;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Leads: create, validate, list, change; conversion with and without duplicates, with a deal, in one transaction; the admin's undo.</summary>
public sealed class LeadTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Filter(object tree) => Uri.EscapeDataString(JsonSerializer.Serialize(tree));

    /// <summary>Every lead, contact, company and deal of the workspace (the trash too), and the audit count.</summary>
    internal static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return JsonSerializer.Serialize(new
        {
            leads = await db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(l => l.Id)
                .Select(l => new { l.Id, l.LastName, l.Status, l.OwnerId, l.ConvertedContactId, l.Version, l.DeletedAt }).ToListAsync(Ct),
            contacts = await db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id).Select(c => new { c.Id, c.Version, c.DeletedAt }).ToListAsync(Ct),
            companies = await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id).Select(c => new { c.Id, c.Version, c.DeletedAt }).ToListAsync(Ct),
            deals = await db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(d => d.Id).Select(d => new { d.Id, d.Version, d.DeletedAt }).ToListAsync(Ct),
            scoring = await db.Set<LeadScoringRule>().OrderBy(r => r.Id).Select(r => new { r.Id, r.Version }).ToListAsync(Ct),
            assignment = await db.Set<LeadAssignmentRule>().OrderBy(r => r.Id).Select(r => new { r.Id, r.Version }).ToListAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_lead_is_created_listed_and_changed_and_invalid_fields_answer_problem_json(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var invalid = await admin.Client.PostJsonAsync("/api/v1/leads",
            new { firstName = "Wei", emails = new[] { "not-an-email" }, phones = new[] { "12" }, status = "won", rating = "lukewarm", country = "XX" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var problem = await invalid.JsonAsync();
        Assert.Equal("https://rapport.dev/problems/validation", problem["type"]!.GetValue<string>());
        foreach (var field in new[] { "emails[0]", "phones[0]", "status", "rating", "country" })
        {
            Assert.True(problem["errors"]![field] is not null, $"no error for {field}: {problem}");
        }

        Assert.NotNull((await (await admin.Client.PostJsonAsync("/api/v1/leads", new { jobTitle = "Nobody" })).JsonAsync())["errors"]!["lastName"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/leads", new { lastName = "Early", status = "converted" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/leads", new { lastName = "Odd", favouriteColour = "red" })).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        var (id, etag, created) = await admin.Client.CreateLeadAsync(new
        {
            firstName = " Wei ", lastName = "Zhang", companyName = "Globex Trading", emails = new[] { "Wei.Zhang@Globex.example" }, phones = new[] { "+86 138 0013 8000" },
            source = "referral", rating = "hot", country = "cn", territory = "East",
        });
        Assert.Equal("Wei", created["firstName"]!.GetValue<string>());
        Assert.Equal("new", created["status"]!.GetValue<string>());
        Assert.Equal(admin.UserId, created.Id("ownerId"));
        Assert.Equal("wei.zhang@globex.example", created["emails"]![0]!.GetValue<string>());
        Assert.Equal("+8613800138000", created["phones"]![0]!.GetValue<string>());
        Assert.Equal("CN", created["country"]!.GetValue<string>());
        Assert.Null(created["conversion"]);
        await admin.Client.CreateLeadAsync(new { lastName = "Cold", rating = "cold" });

        var hot = (await admin.Client.GetJsonAsync($"/api/v1/leads?filter={Filter(LeadApi.Condition("rating", "eq", "hot"))}"))["data"]!.AsArray();
        Assert.Equal(id, Assert.Single(hot)!.Id("id"));

        var changed = await admin.Client.PatchJsonAsync($"/api/v1/leads/{id}", new { status = "qualified", rating = "warm" }, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("qualified", (await changed.JsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.PatchJsonAsync($"/api/v1/leads/{id}", new { rating = "cold" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/leads/{id}", new { status = "converted" }, "*")).StatusCode);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == "lead" && a.EntityId == id).OrderBy(a => a.At).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["create", "update"], audit);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Converting_links_the_existing_contact_and_company_instead_of_duplicating_them(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Initech", domain = "initech.example" });
        var contact = (await (await admin.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "Peter", lastName = "Gibbons", emails = new[] { "peter@initech.example" } })).JsonAsync()).Id("id");
        var (byName, _) = await admin.Client.CreateCompanyAsync(new { name = "Chotchkie's Ltd." });
        var (lead, _, _) = await admin.Client.CreateLeadAsync(new { firstName = "Pete", lastName = "Gibbons", companyName = "Initech Corp", emails = new[] { "PETER@initech.example" }, status = "qualified" });
        var (other, _, _) = await admin.Client.CreateLeadAsync(new { firstName = "Joanna", lastName = "Smith", companyName = "Chotchkie's", emails = new[] { "joanna@gmail.com" } });

        var converted = await admin.Client.ConvertAsync(lead);
        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var result = await converted.JsonAsync();
        Assert.Equal(contact, result.Id("contactId"));
        Assert.Equal(company, result.Id("companyId")); // found by the email's domain
        Assert.False(result["contactCreated"]!.GetValue<bool>());
        Assert.False(result["companyCreated"]!.GetValue<bool>());
        Assert.Null(result["dealId"]);
        Assert.Equal("converted", result["lead"]!["status"]!.GetValue<string>());

        var second = await (await admin.Client.ConvertAsync(other)).JsonAsync();
        Assert.Equal(byName, second.Id("companyId")); // found by its name without the legal suffix
        Assert.True(second["contactCreated"]!.GetValue<bool>());
        var made = await admin.Client.GetJsonAsync($"/api/v1/contacts/{second.Id("contactId")}");
        Assert.Equal(byName, made.Id("companyId"));

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.Equal(2, await db.Set<Company>().CountAsync(Ct));
            Assert.Equal(2, await db.Set<Contact>().CountAsync(Ct));
        }

        var read = await admin.Client.GetJsonAsync($"/api/v1/leads/{lead}");
        Assert.Equal(contact, read["conversion"]!.Id("contactId"));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.ConvertAsync(lead)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/leads/{lead}", new { status = "working" }, "*")).StatusCode);

        // Undoing a conversion that only linked removes nothing.
        var undone = await admin.Client.PostJsonAsync($"/api/v1/leads/{lead}/convert/undo", new { });
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        Assert.Equal("qualified", (await undone.JsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/contacts/{contact}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/companies/{company}", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Converting_creates_contact_company_and_deal_and_an_admin_undoes_what_it_created(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        var (lead, _, _) = await admin.Client.CreateLeadAsync(new
        {
            firstName = "小明", lastName = "王", companyName = "星辰科技有限公司", website = "https://www.xingchen.example/about", emails = new[] { "wang@xingchen.example" },
            phones = new[] { "+86 21 5555 0100" }, jobTitle = "采购经理", status = "working", industry = "Manufacturing", size = "51-200", country = "CN",
        });

        var response = await admin.Client.ConvertAsync(lead, new { createDeal = true, dealName = "星辰 ERP", pipelineId = pipeline });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var result = await response.JsonAsync();
        Assert.True(result["contactCreated"]!.GetValue<bool>() && result["companyCreated"]!.GetValue<bool>() && result["dealCreated"]!.GetValue<bool>());
        var deal = await admin.Client.GetJsonAsync($"/api/v1/deals/{result.Id("dealId")}");
        Assert.Equal("星辰 ERP", deal["name"]!.GetValue<string>());
        Assert.Equal(stages["qualification"], deal.Id("stageId"));
        Assert.Equal(result.Id("companyId"), deal.Id("companyId"));
        Assert.Equal(result.Id("contactId"), deal["contacts"]![0]!.Id("contactId"));
        var company = await admin.Client.GetJsonAsync($"/api/v1/companies/{result.Id("companyId")}");
        Assert.Equal("星辰科技有限公司", company["name"]!.GetValue<string>());
        Assert.Equal("xingchen.example", company["domain"]!.GetValue<string>());
        var contact = await admin.Client.GetJsonAsync($"/api/v1/contacts/{result.Id("contactId")}");
        Assert.Equal("采购经理", contact["jobTitle"]!.GetValue<string>());
        Assert.Equal(result.Id("companyId"), contact.Id("companyId"));

        // Only an administrator undoes, and the undo removes what the conversion created.
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var converted = await SnapshotAsync(factory, admin.WorkspaceId);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync($"/api/v1/leads/{lead}/convert/undo", new { })).StatusCode);
        Assert.Equal(converted, await SnapshotAsync(factory, admin.WorkspaceId));
        var undone = await (await admin.Client.PostJsonAsync($"/api/v1/leads/{lead}/convert/undo", new { })).JsonAsync();
        Assert.Equal("working", undone["status"]!.GetValue<string>());
        Assert.Null(undone["conversion"]);
        foreach (var url in new[] { $"/api/v1/deals/{result.Id("dealId")}", $"/api/v1/companies/{result.Id("companyId")}", $"/api/v1/contacts/{result.Id("contactId")}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(url, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/leads/{lead}/convert/undo", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.ConvertAsync(lead)).StatusCode); // and it may be converted again
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_refused_conversion_leaves_nothing_behind(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (lead, _, _) = await admin.Client.CreateLeadAsync(new { firstName = "Ann", lastName = "Lee", companyName = "Umbrella", emails = new[] { "ann@umbrella.example" } });
        var (companyOnly, _, _) = await admin.Client.CreateLeadAsync(new { companyName = "Nameless Inc" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        // The company and contact are written before the deal is refused: the transaction takes them back.
        var refused = await admin.Client.ConvertAsync(lead, new { createDeal = true, pipelineId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await refused.JsonAsync())["errors"]!["pipelineId"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.ConvertAsync(companyOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.ConvertAsync(lead, new { createDeal = "yes" })).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }
}
