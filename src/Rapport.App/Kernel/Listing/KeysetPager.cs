using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.Listing;

/// <summary>
/// Filters, sorts and pages a query in the database with keyset pagination (never OFFSET).
/// Nulls sort last in both directions on both providers; ties break on the id.
/// </summary>
public static class KeysetPager
{
    private sealed record SortKey<T>(FieldDefinition<T> Field, bool Descending);

    private sealed record CursorData(string S, string?[] V, Guid Id);

    public static Task<Page<T>> PageAsync<T>(
        IQueryable<T> query, ListRequest request, FieldCatalog<T> fields, string defaultSort, DateTimeOffset now, CancellationToken ct)
        where T : WorkspaceEntity =>
        PageAsync(query, request, fields, defaultSort, now, ListRequest.MaxLimit, ct);

    /// <summary>
    /// Every row of a filtered, sorted query, in chunks of <paramref name="chunkSize"/>: one keyset query per chunk, so
    /// memory holds one chunk and the database never skips rows (exports). A bad filter or sort throws on the first chunk.
    /// </summary>
    public static IAsyncEnumerable<IReadOnlyList<T>> ChunksAsync<T>(
        IQueryable<T> query, string? filter, string? sort, FieldCatalog<T> fields, string defaultSort, DateTimeOffset now, int chunkSize, CancellationToken ct)
        where T : WorkspaceEntity =>
        ChunksAsync(query, filter, sort, fields, defaultSort, now, chunkSize, e => e, ct);

    /// <summary>
    /// <see cref="ChunksAsync{T}(IQueryable{T}, string?, string?, FieldCatalog{T}, string, DateTimeOffset, int, CancellationToken)"/>
    /// projected by <paramref name="select"/> in the database: only the columns it names are read and no entity is built
    /// (with the sort values and the id the cursor needs). Sorted by a computed field (a custom field), the entities are
    /// read and projected in memory instead.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<TRow>> ChunksAsync<T, TRow>(
        IQueryable<T> query, string? filter, string? sort, FieldCatalog<T> fields, string defaultSort, DateTimeOffset now, int chunkSize,
        Expression<Func<T, TRow>> select, [EnumeratorCancellation] CancellationToken ct)
        where T : WorkspaceEntity
    {
        if (!string.IsNullOrWhiteSpace(filter))
        {
            FilterCompiler.Compile(filter, fields, now); // a bad filter is reported before a bad sort, as a page does
        }

        var keys = ParseSort(SortText(sort, defaultSort), fields);
        var inDatabase = keys.All(k => k.Field.Selector.Body is MemberExpression { Expression: ParameterExpression });
        var inMemory = inDatabase ? null : select.Compile();
        string? cursor = null;
        do
        {
            var request = new ListRequest(filter, sort, chunkSize, cursor);
            if (inDatabase)
            {
                var (rows, next) = await PageAsync(query, request, fields, defaultSort, now, chunkSize, q => q.Select(Keyed(keys, select)), r => (r.Keys, r.Id), ct);
                yield return [.. rows.Select(r => r.Row)];
                cursor = next;
            }
            else
            {
                var (rows, next) = await PageAsync(query, request, fields, defaultSort, now, chunkSize, q => q, r => (Values(keys, r), r.Id), ct);
                yield return [.. rows.Select(inMemory!)];
                cursor = next;
            }
        }
        while (cursor is not null);
    }

    /// <summary>A projected row with what its cursor is made of.</summary>
    private sealed class KeyedRow<TRow>
    {
        public TRow Row { get; init; } = default!;
        public Guid Id { get; init; }
        public object?[] Keys { get; init; } = [];
    }

    private static Expression<Func<T, KeyedRow<TRow>>> Keyed<T, TRow>(List<SortKey<T>> keys, Expression<Func<T, TRow>> select) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var type = typeof(KeyedRow<TRow>);
        return Expression.Lambda<Func<T, KeyedRow<TRow>>>(Expression.MemberInit(Expression.New(type),
            Expression.Bind(type.GetProperty(nameof(KeyedRow<TRow>.Row))!, FilterCompiler.Rebind(select, entity)),
            Expression.Bind(type.GetProperty(nameof(KeyedRow<TRow>.Id))!, Expression.Property(entity, nameof(WorkspaceEntity.Id))),
            Expression.Bind(type.GetProperty(nameof(KeyedRow<TRow>.Keys))!, Expression.NewArrayInit(typeof(object),
                keys.Select(k => Expression.Convert(FilterCompiler.Rebind(k.Field.Selector, entity), typeof(object)))))), entity);
    }

    private static object?[] Values<T>(List<SortKey<T>> keys, T row) => [.. keys.Select(k => k.Field.Read(row))];

    private static string SortText(string? sort, string defaultSort) =>
        string.IsNullOrWhiteSpace(sort) ? defaultSort : sort.Replace(" ", "", StringComparison.Ordinal);

    private static async Task<Page<T>> PageAsync<T>(
        IQueryable<T> query, ListRequest request, FieldCatalog<T> fields, string defaultSort, DateTimeOffset now, int maxLimit, CancellationToken ct)
        where T : WorkspaceEntity
    {
        var (rows, next) = await PageAsync(query, request, fields, defaultSort, now, maxLimit, q => q,
            r => (Values(ParseSort(SortText(request.Sort, defaultSort), fields), r), r.Id), ct);
        return new Page<T>(rows, next);
    }

    /// <summary>One page: the rows shaped by <paramref name="shape"/> (after the order and limit), and the cursor after the last, made by <paramref name="cursorOf"/>.</summary>
    private static async Task<(List<TOut> Rows, string? Next)> PageAsync<T, TOut>(
        IQueryable<T> query, ListRequest request, FieldCatalog<T> fields, string defaultSort, DateTimeOffset now, int maxLimit,
        Func<IQueryable<T>, IQueryable<TOut>> shape, Func<TOut, (object?[] Values, Guid Id)> cursorOf, CancellationToken ct)
        where T : WorkspaceEntity
    {
        var limit = request.Limit ?? ListRequest.DefaultLimit;
        if (limit < 1 || limit > maxLimit)
        {
            throw new FilterException("limit", $"limit must be between 1 and {maxLimit}.");
        }

        if (!string.IsNullOrWhiteSpace(request.Filter))
        {
            query = query.Where(FilterCompiler.Compile(request.Filter, fields, now));
        }

        var sortText = SortText(request.Sort, defaultSort);
        var keys = ParseSort(sortText, fields);
        List<TOut> rows;
        if (string.IsNullOrEmpty(request.Cursor))
        {
            rows = await shape(Order(query, keys).Take(limit + 1)).ToListAsync(ct);
        }
        else
        {
            var cursor = DecodeCursor(request.Cursor, sortText, keys);
            var lead = keys[0];
            if (cursor.Values[0] is not { } value)
            {
                rows = await shape(Order(NullLead(query.Where(After(keys, cursor)), lead), keys, LeadOrder.None).Take(limit + 1)).ToListAsync(ct);
            }
            else if (lead.Field.SeekFrom is { } seekFrom && !lead.Descending)
            {
                // One statement, a range on the sort index: past the cursor's row itself when the lead is the only key.
                var seek = keys.Count == 1
                    ? query.Where(SeekFrom(lead, seekFrom, value, cursor.Id))
                    : query.Where(After(keys, cursor)).Where(SeekFrom(lead, seekFrom, value, null));
                rows = await shape(Order(seek, keys).Take(limit + 1)).ToListAsync(ct);
            }
            else
            {
                // Each statement a seek of the sort index, three at most whatever the page size: the rows tied with the
                // cursor's on the lead key and after it (the rest of the keys and the id a range), then the rows with a
                // later lead value, then, nulls sorting last, the rows without one.
                var valued = lead.Field.IsNullable ? query.Where(LeadIsNull(lead, false)) : query;
                rows = await shape(Order(valued.Where(LeadIs(lead, value)).Where(After(keys[1..], (cursor.Values[1..], cursor.Id))), keys, LeadOrder.None)
                    .Take(limit + 1)).ToListAsync(ct);
                if (rows.Count <= limit)
                {
                    rows.AddRange(await shape(Order(valued.Where(Beyond(lead, value)), keys, LeadOrder.Value).Take(limit + 1 - rows.Count)).ToListAsync(ct));
                }

                if (lead.Field.IsNullable && rows.Count <= limit)
                {
                    rows.AddRange(await shape(Order(NullLead(query, lead), keys, LeadOrder.None).Take(limit + 1 - rows.Count)).ToListAsync(ct));
                }
            }
        }

        if (rows.Count <= limit)
        {
            return (rows, null);
        }

        rows.RemoveAt(limit);
        var (values, id) = cursorOf(rows[^1]);
        return (rows, EncodeCursor(sortText, values, id));
    }

    /// <summary>Checks a sort (e.g. <c>-createdAt,name</c>) against the fields without running a query; a bad one throws <see cref="FilterException"/>.</summary>
    public static void CheckSort<T>(string sort, FieldCatalog<T> fields) => ParseSort(sort.Replace(" ", "", StringComparison.Ordinal), fields);

    private static List<SortKey<T>> ParseSort<T>(string sort, FieldCatalog<T> fields)
    {
        var keys = new List<SortKey<T>>();
        foreach (var part in sort.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var descending = part.StartsWith('-');
            var name = part.TrimStart('-', '+');
            var field = fields.Find(name);
            if (field is null || !field.Sortable)
            {
                throw new FilterException("sort", $"Cannot sort by \"{(name.Length > 40 ? name[..40] : name)}\". Sortable fields: {string.Join(", ", fields.All.Where(f => f.Sortable).Select(f => f.Name))}.");
            }

            if (keys.Any(k => k.Field.Name == name))
            {
                throw new FilterException("sort", $"\"{name}\" appears twice in sort.");
            }

            keys.Add(new SortKey<T>(field, descending));
        }

        return keys.Count is > 0 and <= 4 ? keys : throw new FilterException("sort", "Sort by one to four fields, e.g. sort=-createdAt,name.");
    }

    /// <summary>
    /// How much of the lead key a query orders by: all of it (is-null, then value); only its value, when every row has one;
    /// none of it, when no row has one. A term that is constant over the rows is left out of ORDER BY, so SQLite reads the
    /// rows in the sort index's order after the equality on its is-null column instead of sorting them all.
    /// </summary>
    private enum LeadOrder { Full, Value, None }

    private static IQueryable<T> Order<T>(IQueryable<T> query, List<SortKey<T>> keys, LeadOrder lead = LeadOrder.Full) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        IOrderedQueryable<T>? ordered = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (i == 0 && lead == LeadOrder.None)
            {
                continue;
            }

            var member = FilterCompiler.Rebind(key.Field.Selector, entity);
            if (key.Field.IsNullable && (i > 0 || lead == LeadOrder.Full))
            {
                // Nulls last on both providers, whatever the direction.
                var isNull = Expression.Lambda<Func<T, bool>>(Expression.Equal(member, Expression.Constant(null, member.Type)), entity);
                ordered = ordered is null ? query.OrderBy(isNull) : ordered.ThenBy(isNull);
            }

            ordered = ThenBy(ordered, query, Expression.Lambda(member, entity), key.Descending);
        }

        return ordered is null ? query.OrderBy(e => e.Id) : ordered.ThenBy(e => e.Id);
    }

    /// <summary>The rows whose lead key is null: the index's is-null column equal to true and the value null, both as equalities it seeks.</summary>
    private static IQueryable<T> NullLead<T>(IQueryable<T> query, SortKey<T> lead) where T : WorkspaceEntity =>
        query.Where(LeadIsNull(lead, true)).Where(LeadIs(lead, null));

    private static IOrderedQueryable<T> ThenBy<T>(IOrderedQueryable<T>? ordered, IQueryable<T> query, LambdaExpression selector, bool descending)
    {
        var method = (ordered is null, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            (false, true) => nameof(Queryable.ThenByDescending),
        };
        var source = (IQueryable<T>?)ordered ?? query;
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType], source.Expression, Expression.Quote(selector));
        return (IOrderedQueryable<T>)source.Provider.CreateQuery<T>(call);
    }

    /// <summary><c>k = @v</c>, or <c>k IS NULL</c> for a null value: an equality the database seeks its sort index with.</summary>
    private static Expression<Func<T, bool>> LeadIs<T>(SortKey<T> lead, object? value) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var member = FilterCompiler.Rebind(lead.Field.Selector, entity);
        var body = Expression.Equal(member, value is null ? Expression.Constant(null, member.Type) : FilterCompiler.Parameter(value, member.Type));
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    /// <summary><c>k &gt; @v</c> (<c>&lt;</c> descending): the rows with a later lead value, a plain range on the sort index.</summary>
    private static Expression<Func<T, bool>> Beyond<T>(SortKey<T> lead, object value) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var member = FilterCompiler.Rebind(lead.Field.Selector, entity);
        var body = FilterCompiler.Compare(lead.Field, member, FilterCompiler.Parameter(value, member.Type),
            lead.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    /// <summary>The field's <see cref="FieldDefinition{T}.SeekFrom"/> from a cursor value, past the cursor's row when its id is given.</summary>
    private static Expression<Func<T, bool>> SeekFrom<T>(SortKey<T> lead, SeekFrom seekFrom, object value, Guid? id) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var member = FilterCompiler.Rebind(lead.Field.Selector, entity);
        var past = id is { } cursorId ? (Expression.Property(entity, nameof(WorkspaceEntity.Id)), FilterCompiler.Parameter(cursorId, typeof(Guid))) : default((Expression, Expression)?);
        return Expression.Lambda<Func<T, bool>>(seekFrom(member, FilterCompiler.Parameter(value, member.Type), past), entity);
    }

    /// <summary>
    /// <c>(k IS NULL) = @p</c>: an equality on the sort index's is-null column, so the range on the value after it can
    /// seek (<c>k IS NOT NULL</c> would not match the index's expression). The flag is a parameter, not a constant, so
    /// EF Core keeps the comparison as written.
    /// </summary>
    private static Expression<Func<T, bool>> LeadIsNull<T>(SortKey<T> lead, bool isNull) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var member = FilterCompiler.Rebind(lead.Field.Selector, entity);
        var body = Expression.Equal(Expression.Equal(member, Expression.Constant(null, member.Type)), FilterCompiler.Parameter(isNull, typeof(bool)));
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    /// <summary>Rows strictly after the cursor row in the sort order: (k1 &gt; v1) or (k1 = v1 and k2 &gt; v2) … or (all equal and id &gt; lastId).</summary>
    private static Expression<Func<T, bool>> After<T>(List<SortKey<T>> keys, (object?[] Values, Guid Id) cursor) where T : WorkspaceEntity
    {
        var entity = Expression.Parameter(typeof(T), "e");
        Expression? result = null;
        Expression? prefix = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var member = FilterCompiler.Rebind(key.Field.Selector, entity);
            var value = cursor.Values[i];
            var isNull = key.Field.IsNullable ? Expression.Equal(member, Expression.Constant(null, member.Type)) : null;
            Expression greater;
            Expression equal;
            if (value is null)
            {
                greater = Expression.Constant(false);
                equal = (Expression?)isNull ?? Expression.Constant(false);
            }
            else
            {
                var parameter = FilterCompiler.Parameter(value, member.Type);
                greater = FilterCompiler.Compare(key.Field, member, parameter, key.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
                if (isNull is not null)
                {
                    greater = Expression.OrElse(greater, isNull);
                }

                equal = Expression.Equal(member, parameter);
            }

            var branch = prefix is null ? greater : Expression.AndAlso(prefix, greater);
            result = result is null ? branch : Expression.OrElse(result, branch);
            prefix = prefix is null ? equal : Expression.AndAlso(prefix, equal);
        }

        var id = Expression.Property(entity, nameof(WorkspaceEntity.Id));
        var idAfter = Expression.GreaterThan(
            Expression.Call(id, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, FilterCompiler.Parameter(cursor.Id, typeof(Guid))),
            Expression.Constant(0));
        var last = prefix is null ? idAfter : Expression.AndAlso(prefix, idAfter);
        result = result is null ? last : Expression.OrElse(result, last);
        return Expression.Lambda<Func<T, bool>>(result, entity);
    }

    private static string EncodeCursor(string sort, object?[] keyValues, Guid id)
    {
        var values = keyValues.Select(value => value switch
        {
            null => null,
            DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        }).ToArray();
        var json = JsonSerializer.SerializeToUtf8Bytes(new CursorData(sort, values, id));
        return WebEncoders.Base64UrlEncode(json);
    }

    private static (object?[] Values, Guid Id) DecodeCursor<T>(string cursor, string sort, List<SortKey<T>> keys)
    {
        CursorData? data;
        try
        {
            data = JsonSerializer.Deserialize<CursorData>(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            data = null;
        }

        if (data is null || data.V is null || data.V.Length != keys.Count)
        {
            throw new FilterException("cursor", "The cursor is not one this list returned.");
        }

        if (data.S != sort)
        {
            throw new FilterException("cursor", "The cursor belongs to another sort order; keep sort the same while paging.");
        }

        var values = new object?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (data.V[i] is { } text)
            {
                var parsed = FilterCompiler.ParseText(keys[i].Field.Kind, text) ?? throw new FilterException("cursor", "The cursor is not one this list returned.");
                values[i] = keys[i].Field.ValueType == typeof(int) ? (int)(decimal)parsed : keys[i].Field.Store(parsed);
            }
        }

        return (values, data.Id);
    }
}
