using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Records;

/// <summary>A reference to one record of any type: <c>{"entityType":"contact","recordId":"…"}</c>.</summary>
public sealed record RecordRef(string EntityType, Guid RecordId);

/// <summary>A record reference with the name the caller sees it by.</summary>
public sealed record NamedRecordRef(string EntityType, Guid RecordId, string Name);

/// <summary>
/// A record type other modules may point at (notes, files and later emails link to contacts and companies):
/// which records the current user reaches, and what they are called. Registered by the module that owns the
/// type with <see cref="RecordTypeRegistration.AddRecordType{T}"/>, so no module reaches into another's tables.
/// </summary>
public interface IRecordType
{
    /// <summary>The singular API name (<c>contact</c>).</summary>
    string EntityType { get; }

    /// <summary>Ids of the records (not in the trash) the current user may reach with <paramref name="action"/>, as a query the database runs as a subquery.</summary>
    Task<IQueryable<Guid>> ReachableAsync(AccessAction action, CancellationToken ct);

    /// <summary>Display names of those of <paramref name="ids"/> the current user may read.</summary>
    Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>Those of <paramref name="ids"/> that are records of this type in the workspace, not in the trash, whoever may read them (links from other records).</summary>
    Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>Where the UI shows records of this type: <c>/contacts</c> (a record's page is <c>/contacts/{id}</c>).</summary>
    string Pages { get; }
}

/// <summary>The access part of <see cref="IRecordType"/> for any owned record, from the access control service.</summary>
public abstract class OwnedRecordType<T>(RapportDbContext db, IAccessControl access, string entityType) : IRecordType
    where T : WorkspaceEntity, IOwnedRecord
{
    public string EntityType => entityType;

    protected RapportDbContext Db => db;

    public async Task<IQueryable<Guid>> ReachableAsync(AccessAction action, CancellationToken ct) =>
        (await access.ScopeAsync(db.Set<T>().AsNoTracking(), entityType, action, ct)).Select(r => r.Id);

    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var readable = await access.ScopeAsync(db.Set<T>().AsNoTracking(), entityType, AccessAction.Read, ct);
        return await NamesAsync(readable.Where(r => ids.Contains(r.Id)), ct);
    }

    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? new HashSet<Guid>() : (await db.Set<T>().Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();

    /// <summary>Names of the records of <paramref name="records"/> (already narrowed to the readable ones asked for).</summary>
    protected abstract Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IQueryable<T> records, CancellationToken ct);

    public abstract string Pages { get; }
}

/// <summary>Every registered record type, for links that may point at any of them.</summary>
public sealed class RecordDirectory(IEnumerable<IRecordType> types)
{
    private readonly Dictionary<string, IRecordType> _types = types.ToDictionary(t => t.EntityType);

    public IReadOnlyCollection<string> EntityTypes => _types.Keys;

    public IRecordType? Find(string entityType) => _types.GetValueOrDefault(entityType);

    /// <summary>Entity type → where the UI shows its records (see <see cref="IRecordType.Pages"/>).</summary>
    public IReadOnlyDictionary<string, string> Pages => _types.ToDictionary(t => t.Key, t => t.Value.Pages);

    /// <summary>Whether the current user may reach this record with <paramref name="action"/>.</summary>
    public async Task<bool> CanAsync(RecordRef record, AccessAction action, CancellationToken ct) =>
        Find(record.EntityType) is { } type && await (await type.ReachableAsync(action, ct)).AnyAsync(id => id == record.RecordId, ct);

    /// <summary>The records of <paramref name="records"/> the current user may read, with their names (unreadable ones left out).</summary>
    public async Task<IReadOnlyList<NamedRecordRef>> NameAsync(IEnumerable<RecordRef> records, CancellationToken ct)
    {
        var named = new List<NamedRecordRef>();
        foreach (var group in records.GroupBy(r => r.EntityType))
        {
            if (Find(group.Key) is not { } type)
            {
                continue;
            }

            var names = await type.NamesAsync([.. group.Select(r => r.RecordId).Distinct()], ct);
            named.AddRange(group.Where(r => names.ContainsKey(r.RecordId)).Select(r => new NamedRecordRef(r.EntityType, r.RecordId, names[r.RecordId])));
        }

        return named;
    }
}

public static class RecordTypeRegistration
{
    /// <summary>Lets other modules link to records of this type (see <see cref="IRecordType"/>).</summary>
    public static IServiceCollection AddRecordType<T>(this IServiceCollection services) where T : class, IRecordType
    {
        services.AddScoped<IRecordType, T>();
        return services;
    }
}
