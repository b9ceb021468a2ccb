using System.Linq.Expressions;

namespace Rapport.Kernel.Filtering;

/// <summary>How a field is compared. <see cref="Set"/> holds several keys (a multi-select): eq/in ask whether it has them.</summary>
public enum FieldKind { Text, Id, Instant, Date, Number, Boolean, Set }

/// <summary>
/// For a nullable field sorted ascending (nulls last) by an index on (is-null, value, id): "at or after this value in that
/// order, the nulls included" from the field's expression and a value parameter or, given the id and the cursor row's id
/// (<paramref name="past"/>), "after that row", in a form the database seeks the index with.
/// </summary>
public delegate Expression SeekFrom(Expression field, Expression value, (Expression Id, Expression CursorId)? past);

/// <summary>A field callers may filter and sort on: its API name, how to read it in a query, and its kind.</summary>
public sealed class FieldDefinition<T>
{
    internal FieldDefinition(
        string name, LambdaExpression selector, FieldKind kind, bool sortable,
        Func<T, object?>? reader = null, Func<object, object?>? store = null, Func<Expression, Expression, Expression>? has = null,
        SeekFrom? seekFrom = null)
    {
        Name = name;
        Selector = selector;
        Kind = kind;
        Sortable = sortable;
        ValueType = selector.ReturnType;
        IsNullable = !ValueType.IsValueType || Nullable.GetUnderlyingType(ValueType) is not null;
        _reader = reader ?? CompileReader(selector);
        Store = store ?? (v => v);
        Has = has;
        SeekFrom = seekFrom;
    }

    private readonly Func<T, object?> _reader;

    private static Func<T, object?> CompileReader(LambdaExpression selector)
    {
        var compiled = selector.Compile();
        return e => compiled.DynamicInvoke(e);
    }

    public string Name { get; }
    public LambdaExpression Selector { get; }
    public FieldKind Kind { get; }
    public bool Sortable { get; }
    public Type ValueType { get; }
    public bool IsNullable { get; }
    /// <summary>Turns a parsed filter value (a date, an instant, a decimal…) into the form the selector returns.</summary>
    public Func<object, object?> Store { get; }
    /// <summary>For <see cref="FieldKind.Set"/>: builds "the field of this entity has this key" from the entity and a value parameter.</summary>
    public Func<Expression, Expression, Expression>? Has { get; }
    /// <summary>
    /// How the database seeks this field's sort index to a cursor in one statement (PostgreSQL's row comparison on a
    /// custom field). Without it, a page after a cursor reads the rows tied with it, those after, and the nulls, in up
    /// to three statements.
    /// </summary>
    public SeekFrom? SeekFrom { get; }

    public object? Read(T entity) => _reader(entity);
}

/// <summary>
/// The allowlist of fields for one entity type. Anything not listed is refused with a 400,
/// so a filter can never reach a column the caller was not meant to see.
/// </summary>
public sealed class FieldCatalog<T>
{
    private readonly Dictionary<string, FieldDefinition<T>> _fields = new(StringComparer.Ordinal);

    public FieldCatalog<T> Text(string name, Expression<Func<T, string?>> selector, bool sortable = true) => Add(name, selector, FieldKind.Text, sortable);
    public FieldCatalog<T> Id(string name, Expression<Func<T, Guid>> selector) => Add(name, selector, FieldKind.Id, false);
    public FieldCatalog<T> Id(string name, Expression<Func<T, Guid?>> selector) => Add(name, selector, FieldKind.Id, false);
    public FieldCatalog<T> Instant(string name, Expression<Func<T, DateTimeOffset>> selector) => Add(name, selector, FieldKind.Instant, true);
    public FieldCatalog<T> Instant(string name, Expression<Func<T, DateTimeOffset?>> selector) => Add(name, selector, FieldKind.Instant, true);
    public FieldCatalog<T> Date(string name, Expression<Func<T, DateOnly?>> selector) => Add(name, selector, FieldKind.Date, true);
    public FieldCatalog<T> Number(string name, Expression<Func<T, decimal?>> selector) => Add(name, selector, FieldKind.Number, true);
    public FieldCatalog<T> Number(string name, Expression<Func<T, int>> selector) => Add(name, selector, FieldKind.Number, true);
    public FieldCatalog<T> Boolean(string name, Expression<Func<T, bool>> selector) => Add(name, selector, FieldKind.Boolean, true);

    private FieldCatalog<T> Add(string name, LambdaExpression selector, FieldKind kind, bool sortable) =>
        Add(new FieldDefinition<T>(name, selector, kind, sortable));

    /// <summary>A field computed in the database (custom fields read from a JSON column), with how to read it in memory for cursors.</summary>
    public FieldCatalog<T> Computed(
        string name, LambdaExpression selector, FieldKind kind, bool sortable, Func<T, object?> reader,
        Func<object, object?> store, Func<Expression, Expression, Expression>? has = null, SeekFrom? seekFrom = null) =>
        Add(new FieldDefinition<T>(name, selector, kind, sortable, reader, store, has, seekFrom));

    private FieldCatalog<T> Add(FieldDefinition<T> field)
    {
        _fields.Add(field.Name, field);
        return this;
    }

    /// <summary>A copy of this catalog to which per-request fields (a workspace's custom fields) can be added.</summary>
    public FieldCatalog<T> Copy() => Without(_ => false);

    public FieldDefinition<T>? Find(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The catalog without the fields the caller may not see: filtering or sorting on them is then a 400.</summary>
    public FieldCatalog<T> Without(Func<string, bool> hidden)
    {
        var visible = new FieldCatalog<T>();
        foreach (var field in _fields.Values.Where(f => !hidden(f.Name)))
        {
            visible._fields.Add(field.Name, field);
        }

        return visible;
    }

    public IEnumerable<FieldDefinition<T>> All => _fields.Values;
}
