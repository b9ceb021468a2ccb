using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Kernel.Security;

/// <summary>What a role may do to an entity type.</summary>
public enum AccessAction { Create, Read, Update, Delete, Export, Import, MassUpdate, Assign }

/// <summary>Which records an action reaches: none, the user's own, their teams', or all.</summary>
public enum AccessLevel { None = 0, Own = 1, Team = 2, All = 3 }

/// <summary>What a role lets its holders do with one field: not see it, see it, or also change it.</summary>
public enum FieldAccess { Hidden = 0, ReadOnly = 1, Editable = 2 }

/// <summary>The current user's field restrictions for one entity type (fields not listed are editable).</summary>
public sealed record FieldPolicy(IReadOnlySet<string> Hidden, IReadOnlySet<string> ReadOnly)
{
    public static readonly FieldPolicy Open = new(new HashSet<string>(), new HashSet<string>());

    public bool IsHidden(string field) => Hidden.Contains(field) || field.Split('.') is [var head, ..] && Hidden.Contains(head);

    public bool CanEdit(string field) => !IsHidden(field) && !ReadOnly.Contains(field) && !(field.Split('.') is [var head, ..] && ReadOnly.Contains(head));
}

/// <summary>
/// The one authorization service every handler calls, from the API and the UI alike
/// (implemented by the Identity module). Record scope is applied inside the database query.
/// </summary>
public interface IAccessControl
{
    /// <summary>The current user's level for an action on an entity type (the most permissive of their roles).</summary>
    Task<AccessLevel> LevelAsync(string entity, AccessAction action, CancellationToken ct);

    /// <summary>Narrows a query to the records the current user may reach with <paramref name="action"/>.</summary>
    Task<IQueryable<T>> ScopeAsync<T>(IQueryable<T> query, string entity, AccessAction action, CancellationToken ct) where T : class, Entities.IOwnedRecord;

    /// <summary>Whether the current user may act on this one record.</summary>
    Task<bool> CanAsync(Entities.IOwnedRecord record, string entity, AccessAction action, CancellationToken ct);

    /// <summary>Whether the current user administers the workspace (users, roles, teams, settings, audit).</summary>
    Task<bool> IsAdministratorAsync(CancellationToken ct);

    /// <summary>Which fields of an entity type the current user may not see or not change (the most permissive role wins).</summary>
    Task<FieldPolicy> FieldsAsync(string entity, CancellationToken ct);

    /// <summary>Whether one of the current user's roles grants a workspace-wide capability (see <see cref="AccessCatalog.Capabilities"/>); administrators have them all.</summary>
    Task<bool> HasCapabilityAsync(string capability, CancellationToken ct);
}

/// <summary>
/// The entity types modules put under access control, with their API name and label. Roles list
/// permissions for each registered type, so a new module gets access control by registering here.
/// </summary>
public sealed class AccessCatalog
{
    private readonly List<AccessEntity> _entities = [];
    private readonly List<AccessCapability> _capabilities = [];

    public IReadOnlyList<AccessEntity> Entities => _entities;

    /// <summary>Workspace-wide rights a role may grant, beside its per-entity levels (e.g. <c>views.share</c>).</summary>
    public IReadOnlyList<AccessCapability> Capabilities => _capabilities;

    public AccessCatalog RegisterCapability(string name, string label, string labelZh)
    {
        if (_capabilities.Any(c => c.Name == name))
        {
            throw new InvalidOperationException($"Capability {name} is registered twice.");
        }

        _capabilities.Add(new AccessCapability(name, label, labelZh));
        return this;
    }

    public AccessCatalog Register(string name, Type type, string label, string labelZh, IReadOnlyList<string> fields, bool isSetting = false)
    {
        if (_entities.Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"Entity type {name} is registered twice.");
        }

        _entities.Add(new AccessEntity(name, type, label, labelZh, fields, isSetting));
        return this;
    }

    public bool IsKnown(string name) => _entities.Any(e => e.Name == name);

    public AccessEntity? Find(string name) => _entities.FirstOrDefault(e => e.Name == name);
}

/// <param name="Type">The entity class: a workspace entity with an owner and team.</param>
/// <param name="Fields">API names of the fields roles may hide or make read-only (a group such as <c>address</c> covers <c>address.city</c>).</param>
/// <param name="IsSetting">
/// Workspace configuration (pipelines), not records people own: rows have no owner, so only level "all" reaches them, and the
/// built-in roles other than the managers' only read it.
/// </param>
public sealed record AccessEntity(string Name, Type Type, string Label, string LabelZh, IReadOnlyList<string> Fields, bool IsSetting = false);

/// <summary>A workspace-wide right a role may grant, such as sharing saved views with everyone.</summary>
public sealed record AccessCapability(string Name, string Label, string LabelZh);

/// <summary>An owner and team to ask about before a record exists (create, reassign).</summary>
public sealed record OwnedProbe(Guid? OwnerId, Guid? TeamId) : Entities.IOwnedRecord
{
    public Guid Id => Guid.Empty;
}

public static class AccessRegistration
{
    /// <summary>Puts an entity type under access control; roles then list permissions for it.</summary>
    public static IServiceCollection AddAccessEntity<T>(this IServiceCollection services, string name, string label, string labelZh, params string[] fields)
        where T : Entities.WorkspaceEntity, Entities.IOwnedRecord
    {
        Catalog(services).Register(name, typeof(T), label, labelZh, fields);
        return services;
    }

    /// <summary>
    /// Puts a kind of workspace configuration under access control (see <see cref="AccessEntity.IsSetting"/>): its rows
    /// implement <see cref="Entities.IOwnedRecord"/> without an owner or team.
    /// </summary>
    public static IServiceCollection AddAccessSetting<T>(this IServiceCollection services, string name, string label, string labelZh)
        where T : Entities.WorkspaceEntity, Entities.IOwnedRecord
    {
        Catalog(services).Register(name, typeof(T), label, labelZh, [], isSetting: true);
        return services;
    }

    /// <summary>Adds a workspace-wide capability roles may grant (administrators always have it).</summary>
    public static IServiceCollection AddAccessCapability(this IServiceCollection services, string name, string label, string labelZh)
    {
        Catalog(services).RegisterCapability(name, label, labelZh);
        return services;
    }

    private static AccessCatalog Catalog(IServiceCollection services)
    {
        var catalog = services.Select(d => d.ImplementationInstance).OfType<AccessCatalog>().SingleOrDefault();
        if (catalog is null)
        {
            catalog = new AccessCatalog();
            services.AddSingleton(catalog);
        }

        return catalog;
    }
}
