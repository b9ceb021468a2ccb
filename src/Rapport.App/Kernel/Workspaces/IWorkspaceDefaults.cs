using Rapport.Kernel.Data;

namespace Rapport.Kernel.Workspaces;

/// <summary>
/// What a module gives every new workspace (the sales module: a default pipeline). Whoever creates a workspace (sign-up,
/// the demo) calls every registered one before saving, so the defaults are written in the same transaction as the
/// workspace. Register with <c>services.AddSingleton&lt;IWorkspaceDefaults, …&gt;()</c>.
/// </summary>
public interface IWorkspaceDefaults
{
    /// <summary>Adds the module's rows for <paramref name="workspace"/> to the context, unsaved.</summary>
    void AddTo(RapportDbContext db, Workspace workspace);
}
