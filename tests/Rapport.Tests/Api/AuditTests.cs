using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class AuditTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_write_leaves_an_audit_row_with_field_changes(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var (id, etag) = await tenant.Client.CreateCompanyAsync(new { name = "Audited", industry = "Mining" });
        var patched = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "Audited Ltd", industry = (string?)null }, etag);
        await tenant.Client.DeleteAsync($"/api/v1/companies/{id}", patched.Headers.ETag!.Tag);
        await tenant.Client.PostJsonAsync($"/api/v1/companies/{id}/restore", new { });

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var rows = await db.Set<AuditEntry>().Where(a => a.EntityId == id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["create", "update", "delete", "restore"], rows.Select(r => r.Action));
        Assert.All(rows, r =>
        {
            Assert.Equal("company", r.EntityType);
            Assert.Equal(tenant.UserId, r.UserId);
            Assert.Equal(tenant.WorkspaceId, r.WorkspaceId);
        });

        var created = JsonNode.Parse(rows[0].Changes)!;
        Assert.Equal("Audited", created["name"]!["after"]!.GetValue<string>());
        var updated = JsonNode.Parse(rows[1].Changes)!;
        Assert.Equal("Audited", updated["name"]!["before"]!.GetValue<string>());
        Assert.Equal("Audited Ltd", updated["name"]!["after"]!.GetValue<string>());
        Assert.Equal("Mining", updated["industry"]!["before"]!.GetValue<string>());
        Assert.Null(updated["industry"]!["after"]);
        Assert.Equal(2, updated.AsObject().Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sign_up_audits_the_new_workspace_and_membership(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync("Audit Co");
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var types = await db.Set<AuditEntry>().Select(a => a.EntityType).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("workspace", types);
        Assert.Contains("membership", types);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Audit_rows_cannot_be_updated_or_deleted(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        await tenant.Client.CreateCompanyAsync(new { name = "Immutable" });
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var row = await db.Set<AuditEntry>().FirstAsync(TestContext.Current.CancellationToken);
        db.Entry(row).Property(a => a.Action).CurrentValue = "forged";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        db.ChangeTracker.Clear();
        db.Remove(row);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }
}
