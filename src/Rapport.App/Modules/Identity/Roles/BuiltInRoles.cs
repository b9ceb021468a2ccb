using Rapport.Kernel.Security;
using static Rapport.Kernel.Security.AccessAction;
using static Rapport.Kernel.Security.AccessLevel;

namespace Rapport.Modules.Identity.Roles;

/// <summary>
/// The roles every new workspace starts with. They are ordinary, editable copies: a template per
/// action applied to every entity type modules registered.
/// </summary>
public static class BuiltInRoles
{
    public const string Admin = "admin";

    private sealed record Template(string Key, string Name, bool IsAdministrator, Dictionary<AccessAction, AccessLevel> Levels, string[]? Capabilities = null);

    private static readonly Template[] Templates =
    [
        new(Admin, "Admin", true, []),
        new("sales-manager", "Sales manager", false, new()
        {
            [Create] = All, [Read] = All, [Update] = Team, [Delete] = Team, [Export] = Team, [Import] = All, [MassUpdate] = Team, [AccessAction.Assign] = Team,
        }, [Kernel.Views.SavedViewRights.Share]),
        new("sales-rep", "Sales rep", false, new()
        {
            [Create] = All, [Read] = Own, [Update] = Own, [Delete] = Own, [Export] = None, [Import] = None, [MassUpdate] = None, [AccessAction.Assign] = None,
        }),
        new("support-agent", "Support agent", false, new()
        {
            [Create] = All, [Read] = All, [Update] = Team, [Delete] = None, [Export] = None, [Import] = None, [MassUpdate] = None, [AccessAction.Assign] = None,
        }),
        new("marketing", "Marketing", false, new()
        {
            [Create] = All, [Read] = All, [Update] = Own, [Delete] = None, [Export] = All, [Import] = All, [MassUpdate] = Own, [AccessAction.Assign] = None,
        }, [Kernel.Views.SavedViewRights.Share]),
        new("read-only", "Read-only", false, new() { [Read] = All }),
    ];

    public static IEnumerable<Role> For(Guid workspaceId, AccessCatalog catalog) =>
        Templates.Select(t => Role.Create(workspaceId, t.Name, t.IsAdministrator,
            t.IsAdministrator ? [] : catalog.Entities.ToDictionary(e => e.Name, e => Levels(t, e)),
            t.Key, t.Capabilities));

    /// <summary>Owned records follow the template; shared data (a catalog) is read by every role and managed by the roles it names.</summary>
    private static Dictionary<AccessAction, AccessLevel> Levels(Template template, AccessEntity entity)
    {
        if (!entity.Shared)
        {
            return new Dictionary<AccessAction, AccessLevel>(template.Levels);
        }

        var manages = entity.ManagedBy.Contains(template.Key);
        return Enum.GetValues<AccessAction>().ToDictionary(a => a, a => a switch
        {
            Read => All,
            AccessAction.Assign => None, // nothing to assign: shared records have no owner
            _ => manages ? All : None,
        });
    }
}
