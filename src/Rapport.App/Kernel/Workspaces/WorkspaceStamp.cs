using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;

namespace Rapport.Kernel.Workspaces;

/// <summary>
/// A row whose change alters what every request of its workspace starts from: the workspace's settings, its members,
/// roles and teams, its custom field definitions. Saving one gives the workspace a new <see cref="WorkspaceStamp"/>.
/// </summary>
public interface IWorkspaceConfiguration;

/// <summary>
/// Changes, in the same transaction, whenever a <see cref="IWorkspaceConfiguration"/> row of the workspace is saved. What
/// is derived from that configuration (a member's grants, an entity's custom fields) is cached across requests and nodes
/// under the stamp: a request reads the stamp with the workspace's defaults (one statement it needed anyway) and finds the
/// rest in <see cref="ConfigurationCache"/> — or, after any change, loads it again.
/// </summary>
public sealed class WorkspaceStamp
{
    private WorkspaceStamp() { }

    public Guid WorkspaceId { get; private init; }
    public Guid Value { get; private set; }

    public static WorkspaceStamp For(Guid workspaceId) => new() { WorkspaceId = workspaceId, Value = Guid.NewGuid() };

    public void Renew() => Value = Guid.NewGuid();
}

internal sealed class WorkspaceStampConfiguration : IEntityTypeConfiguration<WorkspaceStamp>
{
    public void Configure(EntityTypeBuilder<WorkspaceStamp> b)
    {
        b.ToTable("kernel_workspace_stamps");
        b.HasKey(s => s.WorkspaceId);
        b.HasOne<Workspace>().WithOne().HasForeignKey<WorkspaceStamp>(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Values derived from a workspace's configuration, kept in memory under its stamp (a new stamp, a new key).</summary>
public sealed class ConfigurationCache(IMemoryCache cache)
{
    private static readonly MemoryCacheEntryOptions Options = new() { SlidingExpiration = TimeSpan.FromMinutes(10) };

    public async Task<T> GetOrLoadAsync<T>(Guid workspaceId, Guid stamp, string key, Func<Task<T>> load) where T : class
    {
        var entry = (workspaceId, stamp, key);
        if (cache.TryGetValue(entry, out T? known) && known is not null)
        {
            return known;
        }

        var value = await load();
        cache.Set(entry, value, Options);
        return value;
    }
}
