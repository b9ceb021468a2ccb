namespace Rapport.Modules.Identity.Contracts;

/// <summary>What other modules may ask Identity about people: the display names of the workspace's members.</summary>
public interface IMemberDirectory
{
    Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(CancellationToken ct);

    Task<IReadOnlyDictionary<Guid, string>> TeamNamesAsync(CancellationToken ct);
}
