namespace Rapport.Modules.Identity.Contracts;

/// <summary>What other modules may ask Identity about people: the display names of the workspace's members, and their addresses to mail them.</summary>
public interface IMemberDirectory
{
    Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(CancellationToken ct);

    Task<IReadOnlyDictionary<Guid, string>> TeamNamesAsync(CancellationToken ct);

    /// <summary>The sign-in email of each of <paramref name="userIds"/> that is a member of the workspace (others are left out).</summary>
    Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct);
}
