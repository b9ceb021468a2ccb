using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>A column a list may show.</summary>
/// <param name="Key">The column's key in saved views: a field's API name (<c>jobTitle</c>), later <c>custom.&lt;key&gt;</c>.</param>
/// <param name="Label">A key of Text.resx, or a literal label (a custom field's name); pages show it through the localizer.</param>
/// <param name="Field">The restrictable field whose access rule governs the column (a hidden field has no column); defaults to <paramref name="Key"/>.</param>
/// <param name="SortBy">The sort its header applies (e.g. <c>lastName,firstName</c>); by default the key, when the list can sort by it.</param>
/// <param name="Export">The export columns showing what it shows (<c>name</c> → <c>firstName,lastName</c>); by default the key.</param>
public sealed record ViewColumn(string Key, string Label, bool ShownByDefault = true, string? Field = null, string? SortBy = null, IReadOnlyList<string>? Export = null)
{
    public string AccessField => Field ?? Key;

    public IReadOnlyList<string> ExportColumns => Export ?? [Key];
}

/// <summary>One option of a single-select field: its stable key and label (resx key or literal).</summary>
public sealed record ViewOption(string Key, string Label);

/// <summary>A single-select field a kanban can group by, with its options in board order.</summary>
public sealed record ViewGroupField(string Field, string Label, IReadOnlyList<ViewOption> Options);

/// <summary>A field the list pages' filter builder offers: text, or a choice among <paramref name="Options"/>.</summary>
public sealed record ViewFilterField(string Field, string Label, IReadOnlyList<ViewOption>? Options = null);

/// <summary>
/// What saved views and list pages of one entity type may use: the filter and sort fields (the list
/// endpoint's <see cref="FieldCatalog{T}"/>), the columns and the kanban fields. Built per request by an
/// <see cref="IViewSchemaSource"/>, so per-workspace fields (custom fields) can join the built-in ones.
/// </summary>
public sealed class ViewSchema
{
    private readonly Action<string?, string?, FieldPolicy, DateTimeOffset> _check;

    private ViewSchema(string entity, string defaultSort, IReadOnlyList<ViewColumn> columns, IReadOnlyList<ViewGroupField> groupFields,
        IReadOnlyList<ViewFilterField> filterFields, Action<string?, string?, FieldPolicy, DateTimeOffset> check)
    {
        Entity = entity;
        DefaultSort = defaultSort;
        Columns = columns;
        GroupFields = groupFields;
        FilterFields = filterFields;
        _check = check;
    }

    public string Entity { get; }
    public string DefaultSort { get; }
    public IReadOnlyList<ViewColumn> Columns { get; }
    public IReadOnlyList<ViewGroupField> GroupFields { get; }
    public IReadOnlyList<ViewFilterField> FilterFields { get; }

    public IReadOnlyList<string> DefaultColumns => [.. Columns.Where(c => c.ShownByDefault).Select(c => c.Key)];

    public static ViewSchema Create<T>(string entity, FieldCatalog<T> fields, string defaultSort,
        IEnumerable<ViewColumn> columns, IEnumerable<ViewGroupField> groupFields, IEnumerable<ViewFilterField> filterFields) =>
        new(entity, defaultSort, [.. columns.Select(c => c.SortBy is null && fields.Find(c.Key) is { Sortable: true } ? c with { SortBy = c.Key } : c)],
            [.. groupFields], [.. filterFields], (filter, sort, policy, now) =>
        {
            // The same catalog the list endpoint uses, without the fields the caller may not see.
            var visible = policy.Hidden.Count == 0 ? fields : fields.Without(policy.IsHidden);
            if (filter is not null)
            {
                FilterCompiler.Compile(filter, visible, now);
            }

            if (sort is not null)
            {
                KeysetPager.CheckSort(sort, visible);
            }
        });

    /// <summary>Adds columns, kanban fields and filter fields (custom fields, for instance) to a schema.</summary>
    public ViewSchema With(IEnumerable<ViewColumn> columns, IEnumerable<ViewGroupField> groupFields, IEnumerable<ViewFilterField> filterFields) =>
        new(Entity, DefaultSort, [.. Columns, .. columns], [.. GroupFields, .. groupFields], [.. FilterFields, .. filterFields], _check);

    /// <summary>The schema as one caller sees it: nothing of the fields their roles hide.</summary>
    public ViewSchema VisibleTo(FieldPolicy policy) => policy.Hidden.Count == 0 ? this
        : new(Entity, DefaultSort, [.. Columns.Where(c => !policy.IsHidden(c.AccessField))], [.. GroupFields.Where(g => !policy.IsHidden(g.Field))],
            [.. FilterFields.Where(f => !policy.IsHidden(f.Field))], _check);

    /// <summary>Checks a filter and a sort as the list endpoint would; a bad one throws <see cref="FilterException"/> naming the field.</summary>
    public void Check(string? filter, string? sort, FieldPolicy policy, DateTimeOffset now) => _check(filter, sort, policy, now);
}

/// <summary>Gives the <see cref="ViewSchema"/> of one entity type; a module registers one per listable entity with <see cref="ViewSchemaRegistration.AddViewSchema{T}"/>.</summary>
public interface IViewSchemaSource
{
    string Entity { get; }

    Task<ViewSchema> SchemaAsync(CancellationToken ct);
}

public static class ViewSchemaRegistration
{
    public static IServiceCollection AddViewSchema<T>(this IServiceCollection services) where T : class, IViewSchemaSource =>
        services.AddScoped<IViewSchemaSource, T>();

    /// <summary>The schema of <paramref name="entity"/> as the current user sees it, or null when no module registered the entity.</summary>
    public static async Task<ViewSchema?> FindAsync(this IEnumerable<IViewSchemaSource> sources, IAccessControl access, string entity, CancellationToken ct) =>
        sources.FirstOrDefault(s => s.Entity == entity) is { } source
            ? (await source.SchemaAsync(ct)).VisibleTo(await access.FieldsAsync(entity, ct))
            : null;
}
