using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Search;

/// <param name="Name">The field's name in results (<c>emails</c>); by default also the access field that guards it.</param>
/// <param name="GuardedBy">Access fields (<see cref="FieldPolicy"/>) it is built from: if any is hidden from the caller, the field is not searched.</param>
public sealed record SearchField(string Name, SearchFieldKind Kind, IReadOnlyList<string> GuardedBy);

/// <summary>How a found record is shown: never with a value from a field the caller may not see.</summary>
public sealed record SearchTitle(Guid Id, string Title, string? Subtitle);

/// <summary>A module's way to show the records search found (one query for all of them).</summary>
public interface ISearchTitles<T> where T : class
{
    /// <param name="records">The found records, already narrowed to those the caller may read.</param>
    /// <param name="fields">The caller's field policy: hidden fields must not appear in titles.</param>
    Task<IReadOnlyList<SearchTitle>> TitlesAsync(IQueryable<T> records, FieldPolicy fields, CancellationToken ct);
}

/// <summary>One matching index row, before ranking.</summary>
public sealed record SearchCandidate(Guid RecordId, string Field, string Text);

/// <summary>An entity type global search covers: which fields it indexes and where a result links to.</summary>
public abstract class SearchSource(string entityType, string linkPrefix)
{
    /// <summary>The API name of the type (<c>contact</c>), as in <see cref="AccessCatalog"/>.</summary>
    public string EntityType { get; } = entityType;

    public abstract Type RecordType { get; }

    /// <summary>In rank order: the first field is the record's name, matches in it rank above the others.</summary>
    public abstract IReadOnlyList<SearchField> Fields { get; }

    /// <summary>The record's page (<c>/contacts/{id}</c>).</summary>
    public string Link(Guid id) => $"{linkPrefix}/{id}";

    /// <summary>The fields the caller may search: those built only from fields they may see.</summary>
    public IReadOnlyList<SearchField> Readable(FieldPolicy policy) => [.. Fields.Where(f => !f.GuardedBy.Any(policy.IsHidden))];

    /// <summary>Whether a phone value is written without a country code, so the workspace's default country is needed.</summary>
    internal abstract bool NeedsCountry(object record);

    /// <summary>The index text per field (fields without searchable text left out).</summary>
    internal abstract Dictionary<string, string> Texts(object record, string? defaultCountry);

    internal abstract Task<List<SearchCandidate>> FindAsync(
        RapportDbContext db, IAccessControl access, IQueryable<SearchEntry> matches, string[] fields, int take, CancellationToken ct);

    internal abstract Task<IReadOnlyList<SearchTitle>> TitlesAsync(
        RapportDbContext db, IAccessControl access, IServiceProvider services, List<Guid> ids, FieldPolicy policy, CancellationToken ct);

    /// <summary>The next records of the current workspace (not in the trash) after <paramref name="after"/>, by id.</summary>
    internal abstract Task<List<IBusinessRecord>> BatchAsync(RapportDbContext db, Guid? after, int size, CancellationToken ct);
}

/// <summary>Declares the searchable fields of <typeparamref name="T"/>; see <see cref="SearchRegistration.AddSearchSource{T, TTitles}"/>.</summary>
public sealed class SearchSource<T>(string entityType, string linkPrefix) : SearchSource(entityType, linkPrefix)
    where T : BusinessRecord, IOwnedRecord
{
    /// <summary>
    /// At most this many matching rows are ranked: a query matching more (a single letter over a million
    /// contacts) is ranked within the first ones the index yields, so its cost stays bounded.
    /// </summary>
    private const int MatchesRanked = 1000;

    private readonly List<(SearchField Field, Func<T, IEnumerable<string?>> Values)> _fields = [];

    public override Type RecordType => typeof(T);

    public override IReadOnlyList<SearchField> Fields => [.. _fields.Select(f => f.Field)];

    /// <param name="values">Reads the record's own columns (navigations may not be loaded when it is saved).</param>
    /// <param name="guardedBy">The access fields it is built from; by default the field's own name.</param>
    public SearchSource<T> Field(string name, SearchFieldKind kind, Func<T, IEnumerable<string?>> values, params string[] guardedBy)
    {
        if (_fields.Any(f => f.Field.Name == name))
        {
            throw new InvalidOperationException($"Search field {name} of {EntityType} is declared twice.");
        }

        _fields.Add((new SearchField(name, kind, guardedBy.Length > 0 ? guardedBy : [name]), values));
        return this;
    }

    public SearchSource<T> Text(string name, Func<T, string?> value, params string[] guardedBy) =>
        Field(name, SearchFieldKind.Text, r => [value(r)], guardedBy);

    public SearchSource<T> Texts(string name, Func<T, IEnumerable<string?>> values, params string[] guardedBy) =>
        Field(name, SearchFieldKind.Text, values, guardedBy);

    public SearchSource<T> Emails(string name, Func<T, IEnumerable<string?>> values, params string[] guardedBy) =>
        Field(name, SearchFieldKind.Email, values, guardedBy);

    public SearchSource<T> Domain(string name, Func<T, string?> value, params string[] guardedBy) =>
        Field(name, SearchFieldKind.Domain, r => [value(r)], guardedBy);

    public SearchSource<T> Phones(string name, Func<T, IEnumerable<string?>> values, params string[] guardedBy) =>
        Field(name, SearchFieldKind.Phone, values, guardedBy);

    internal override bool NeedsCountry(object record) => _fields.Any(f =>
        f.Field.Kind == SearchFieldKind.Phone && f.Values((T)record).Any(v => !string.IsNullOrWhiteSpace(v) && !v.TrimStart().StartsWith('+')));

    internal override Dictionary<string, string> Texts(object record, string? defaultCountry)
    {
        var texts = new Dictionary<string, string>();
        foreach (var (field, values) in _fields)
        {
            if (SearchText.Build(field.Kind, values((T)record), defaultCountry) is { Length: > 0 } text)
            {
                texts[field.Name] = text;
            }
        }

        return texts;
    }

    internal override async Task<List<SearchCandidate>> FindAsync(
        RapportDbContext db, IAccessControl access, IQueryable<SearchEntry> matches, string[] fields, int take, CancellationToken ct)
    {
        var visible = await access.ScopeAsync(db.Set<T>().AsNoTracking(), EntityType, AccessAction.Read, ct);
        var type = EntityType;
        return await matches
            .Where(e => e.EntityType == type && fields.Contains(e.Field))
            .Join(visible, e => new { e.WorkspaceId, Id = e.RecordId }, r => new { r.WorkspaceId, r.Id }, (e, _) => e)
            .Take(MatchesRanked)
            .OrderBy(FieldRank(fields)).ThenBy(e => e.Text.Length)
            .Take(take)
            .Select(e => new SearchCandidate(e.RecordId, e.Field, e.Text))
            .ToListAsync(ct);
    }

    /// <summary><c>field == "name" ? 0 : field == "emails" ? 1 : …</c>, so the database keeps the best fields' matches when it cuts.</summary>
    private static Expression<Func<SearchEntry, int>> FieldRank(string[] fields)
    {
        var entry = Expression.Parameter(typeof(SearchEntry), "e");
        var field = Expression.Property(entry, nameof(SearchEntry.Field));
        Expression rank = Expression.Constant(fields.Length);
        for (var i = fields.Length - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(field, Expression.Constant(fields[i])), Expression.Constant(i), rank);
        }

        return Expression.Lambda<Func<SearchEntry, int>>(rank, entry);
    }

    internal override async Task<IReadOnlyList<SearchTitle>> TitlesAsync(
        RapportDbContext db, IAccessControl access, IServiceProvider services, List<Guid> ids, FieldPolicy policy, CancellationToken ct)
    {
        var visible = await access.ScopeAsync(db.Set<T>().AsNoTracking(), EntityType, AccessAction.Read, ct);
        return await services.GetRequiredService<ISearchTitles<T>>().TitlesAsync(visible.Where(r => ids.Contains(r.Id)), policy, ct);
    }

    internal override async Task<List<IBusinessRecord>> BatchAsync(RapportDbContext db, Guid? after, int size, CancellationToken ct)
    {
        var records = db.Set<T>().AsNoTracking();
        if (after is { } last)
        {
            records = records.Where(r => r.Id.CompareTo(last) > 0);
        }

        return [.. await records.OrderBy(r => r.Id).Take(size).ToListAsync(ct)];
    }
}

/// <summary>The search sources modules registered.</summary>
public sealed class SearchCatalog
{
    private readonly List<SearchSource> _sources = [];

    public IReadOnlyList<SearchSource> Sources => _sources;

    public SearchSource? Find(string entityType) => _sources.FirstOrDefault(s => s.EntityType == entityType);

    public SearchSource? For(Type recordType) => _sources.FirstOrDefault(s => s.RecordType == recordType);

    internal void Register(SearchSource source)
    {
        if (_sources.Any(s => s.EntityType == source.EntityType || s.RecordType == source.RecordType))
        {
            throw new InvalidOperationException($"A search source for {source.EntityType} is registered twice.");
        }

        _sources.Add(source);
    }
}

public static class SearchRegistration
{
    /// <summary>
    /// Puts <typeparamref name="T"/> into global search: its index rows are rewritten on every save, results
    /// link to <c>{linkPrefix}/{id}</c> and are shown by <typeparamref name="TTitles"/>. The type must also be
    /// registered with <see cref="AccessRegistration.AddAccessEntity{T}"/> under the same name.
    /// </summary>
    public static IServiceCollection AddSearchSource<T, TTitles>(
        this IServiceCollection services, string entityType, string linkPrefix, Action<SearchSource<T>> fields)
        where T : BusinessRecord, IOwnedRecord
        where TTitles : class, ISearchTitles<T>
    {
        var catalog = services.Select(d => d.ImplementationInstance).OfType<SearchCatalog>().SingleOrDefault();
        if (catalog is null)
        {
            catalog = new SearchCatalog();
            services.AddSingleton(catalog);
        }

        var source = new SearchSource<T>(entityType, linkPrefix);
        fields(source);
        catalog.Register(source);
        services.AddScoped<ISearchTitles<T>, TTitles>();
        return services;
    }
}
