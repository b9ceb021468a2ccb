using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class TrashTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Deleted_company_waits_in_the_trash_and_can_be_restored(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var (id, etag) = await tenant.Client.CreateCompanyAsync(new { name = "Comeback Inc" });
        await tenant.Client.DeleteAsync($"/api/v1/companies/{id}", etag);

        Assert.Empty((await (await tenant.Client.GetAsync("/api/v1/companies", ct)).JsonAsync())["data"]!.AsArray());
        var trash = (await (await tenant.Client.GetAsync("/api/v1/companies?trash=true", ct)).JsonAsync())["data"]!.AsArray();
        Assert.Equal(id.ToString(), Assert.Single(trash)!["id"]!.GetValue<string>());
        Assert.NotNull(trash[0]!["deletedAt"]);

        var restored = await tenant.Client.PostJsonAsync($"/api/v1/companies/{id}/restore", new { });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("\"3\"", restored.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync($"/api/v1/companies/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.PostJsonAsync($"/api/v1/companies/{id}/restore", new { })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_removes_what_stayed_in_the_trash_over_30_days_and_audits_it(string provider)
    {
        TestDatabases.RequireAvailable(provider);
        // A host of its own: the purge with a clock 31 days ahead empties every workspace's trash, and the shared host's
        // other tests (the permission matrix keeps a company in the trash) must not lose theirs.
        await using var factory = new RapportFactory(provider);
        var tenant = await factory.SignUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var (old, oldTag) = await tenant.Client.CreateCompanyAsync(new { name = "Old news" });
        var (kept, _) = await tenant.Client.CreateCompanyAsync(new { name = "Still here" });
        // A contact of it, in the trash too (as an undone lead conversion leaves them): the purge unlinks it rather than fail.
        var contact = Guid.Parse((await (await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Gone too", companyId = old, companyIds = new[] { kept } })).JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/contacts/{contact}", "*")).StatusCode);
        await tenant.Client.DeleteAsync($"/api/v1/companies/{old}", oldTag);

        var purge = new TrashPurge(factory.Services.GetRequiredService<IServiceScopeFactory>(), new ShiftedClock(TimeSpan.FromDays(29)), NullLogger<TrashPurge>.Instance);
        await purge.RunOnceAsync(ct);
        await using (var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db))
        {
            Assert.True(await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).AnyAsync(c => c.Id == old, ct));
        }

        purge = new TrashPurge(factory.Services.GetRequiredService<IServiceScopeFactory>(), new ShiftedClock(TimeSpan.FromDays(31)), NullLogger<TrashPurge>.Instance);
        Assert.True(await purge.RunOnceAsync(ct) >= 1);
        await using (var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db))
        {
            Assert.False(await db.Set<Company>().IgnoreQueryFilters().AnyAsync(c => c.Id == old, ct));
            Assert.True(await db.Set<Company>().AnyAsync(c => c.Id == kept, ct));
            Assert.False(await db.Set<Rapport.Modules.Customers.Contacts.Contact>().IgnoreQueryFilters().AnyAsync(c => c.Id == contact, ct));
            var audit = await db.Set<AuditEntry>().SingleAsync(a => a.EntityId == old && a.Action == "purge", ct);
            Assert.Null(audit.UserId);
        }
    }

    private sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
