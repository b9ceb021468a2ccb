using Rapport.Kernel.Security;
using static Rapport.Kernel.Security.AccessAction;
using static Rapport.Kernel.Security.AccessLevel;

namespace Rapport.Modules.Identity.Roles;

/// <summary>
/// The roles every new workspace starts with. They are ordinary, editable copies: a template per
/// action applied to every entity type modules registered. Workspace settings (pipelines) are managed
/// by the templates that say so and read by the others.
/// </summary>
public static class BuiltInRoles
{
    public const string Admin = "admin";

    private sealed record Template(
        string Key, string Name, bool IsAdministrator, Dictionary<AccessAction, AccessLevel> Levels, string[]? Capabilities = null, bool ManagesSettings = false);

    private static readonly Template[] Templates =
    [
        new(Admin, "Admin", true, []),
        new("sales-manager", "Sales manager", false, new()
        {
            [Create] = All, [Read] = All, [Update] = Team, [Delete] = Team, [Export] = Team, [Import] = All, [MassUpdate] = Team, [AccessAction.Assign] = Team,
        }, [Kernel.Views.SavedViewRights.Share], ManagesSettings: true),
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
            t.IsAdministrator ? [] : catalog.Entities.ToDictionary(e => e.Name, e => LevelsOf(t, e)),
            t.Key, t.Capabilities));

    /// <summary>What the built-in role <paramref name="key"/> starts with on <paramref name="entity"/>; null for an unknown key or the administrators' role.</summary>
    public static Dictionary<AccessAction, AccessLevel>? LevelsFor(string key, AccessEntity entity) =>
        Templates.SingleOrDefault(t => t.Key == key) is { IsAdministrator: false } template ? LevelsOf(template, entity) : null;

    /// <summary>Settings have no owner, so only level "all" reaches them: managers manage them, everyone who reads records reads them.</summary>
    private static Dictionary<AccessAction, AccessLevel> LevelsOf(Template template, AccessEntity entity) =>
        !entity.IsSetting ? new Dictionary<AccessAction, AccessLevel>(template.Levels)
        : template.ManagesSettings ? new() { [Create] = All, [Read] = All, [Update] = All, [Delete] = All }
        : template.Levels.GetValueOrDefault(Read) > None ? new() { [Read] = All }
        : [];
}
