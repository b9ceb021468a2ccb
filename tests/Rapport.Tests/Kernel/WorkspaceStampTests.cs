using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Kernel;

/// <summary>
/// Grants and field definitions are cached across requests under the workspace's stamp: a change to the configuration,
/// written by any node, renews the stamp in its own transaction, and the next request works from the new configuration.
/// </summary>
public sealed class WorkspaceStampTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> StampAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return await db.Set<WorkspaceStamp>().Where(s => s.WorkspaceId == workspaceId).Select(s => s.Value).SingleAsync(Ct);
    }

    private static async Task<int> CompaniesSeenAsync(Tenant who) =>
        (await (await who.Client.GetAsync("/api/v1/companies?limit=50", Ct)).JsonAsync())["data"]!.AsArray().Count;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_role_changed_outside_the_request_path_reaches_the_next_request_and_records_leave_the_stamp_alone(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        await admin.Client.CreateCompanyAsync(new { name = "Admin's" });
        await rep.Client.CreateCompanyAsync(new { name = "Rep's" });
        Assert.Equal(1, await CompaniesSeenAsync(rep)); // own only; the rep's grants are now cached

        var stamp = await StampAsync(factory, admin.WorkspaceId);
        await admin.Client.CreateCompanyAsync(new { name = "Another" });
        Assert.Equal(stamp, await StampAsync(factory, admin.WorkspaceId)); // business records are not configuration

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db)) // as another node would, straight to the database
        {
            var role = await db.Set<Role>().SingleAsync(r => r.BuiltIn == "sales-rep", Ct);
            var permissions = role.Permissions.ToDictionary(p => p.Key, p => new Dictionary<AccessAction, AccessLevel>(p.Value));
            permissions["company"][AccessAction.Read] = AccessLevel.All;
            role.Change(role.Name, role.IsAdministrator, permissions, role.Fields, role.Capabilities);
            await db.SaveChangesAsync(Ct);
        }

        Assert.NotEqual(stamp, await StampAsync(factory, admin.WorkspaceId));
        Assert.Equal(3, await CompaniesSeenAsync(rep));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_new_custom_field_is_known_to_the_next_request(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var refused = await admin.Client.PostJsonAsync("/api/v1/companies", new { name = "Early", custom = new { tier = "gold" } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode); // unknown field; the (empty) definitions are cached now

        var defined = await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "company", key = "tier", type = "text", label = "Tier" });
        Assert.Equal(System.Net.HttpStatusCode.Created, defined.StatusCode);
        var accepted = await admin.Client.PostJsonAsync("/api/v1/companies", new { name = "Later", custom = new { tier = "gold" } });
        Assert.Equal(System.Net.HttpStatusCode.Created, accepted.StatusCode);
    }
}
