using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Demo;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Demo;

/// <summary>The demo workspace and its people: an admin, a sales manager and two reps in one team (all with <see cref="Password"/>).</summary>
public sealed class SeedDemoWorkspace : IDemoSeeder
{
    public const string AdminEmail = "demo@rapport.local";
    public const string Password = "rapport-demo-2026";

    public int Order => 0;

    public async Task SeedAsync(IServiceProvider services, DemoWorkspace demo, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == User.Normalize(AdminEmail), ct))
        {
            demo.AlreadySeeded = true;
            return;
        }

        var passwords = scope.ServiceProvider.GetRequiredService<Passwords>();
        var catalog = scope.ServiceProvider.GetRequiredService<AccessCatalog>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var workspace = Workspace.Create("Rapport Demo 演示公司", now, "en");
        var people = new[]
        {
            ("Demo Admin", AdminEmail, BuiltInRoles.Admin),
            ("Mei Chen 陈美", "manager@rapport.local", "sales-manager"),
            ("Tom Baker", "rep1@rapport.local", "sales-rep"),
            ("王小明", "rep2@rapport.local", "sales-rep"),
        };
        var users = people.Select(p =>
        {
            var user = User.Create(p.Item2, p.Item1, p.Item1.Any(c => c >= '\u4e00') && !p.Item1.Any(char.IsAsciiLetter) ? "zh-Hans" : "en", now);
            user.SetPasswordHash(passwords.Hash(user, Password));
            return user;
        }).ToList();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Use(Principals.For(users[0], workspace.Id, "demo"));
        var roles = BuiltInRoles.For(workspace.Id, catalog).ToList();
        var team = Team.Create(workspace.Id, "East 华东");

        db.Workspaces.Add(workspace);
        db.AddRange(users);
        db.AddRange(roles);
        db.Memberships.AddRange(users.Select(u => Membership.Create(workspace.Id, u.Id, now)));
        db.AddRange(users.Select((u, i) => new MembershipRole(workspace.Id, u.Id, roles.Single(r => r.BuiltIn == people[i].Item3).Id)));
        team.SetMembers(users.Skip(1).Select(u => u.Id));
        db.Add(team);
        foreach (var module in scope.ServiceProvider.GetServices<IWorkspaceDefaults>())
        {
            module.AddTo(db, workspace);
        }

        await db.SaveChangesAsync(ct);

        demo.WorkspaceId = workspace.Id;
        demo.AdminId = users[0].Id;
        demo.Owners.AddRange(users.Skip(1).Select(u => u.Id));
        demo.TeamId = team.Id;
    }
}
