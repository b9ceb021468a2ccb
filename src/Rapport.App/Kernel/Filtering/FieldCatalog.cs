using System.Linq.Expressions;

namespace Rapport.Kernel.Filtering;

public enum FieldKind { Text, Id, Instant, Date, Number, Boolean }

/// <summary>A field callers may filter and sort on: its API name, how to read it in a query, and its kind.</summary>
public sealed class FieldDefinition<T>
{
    internal FieldDefinition(string name, LambdaExpression selector, FieldKind kind, bool sortable)
    {
        Name = name;
        Selector = selector;
        Kind = kind;
        Sortable = sortable;
        ValueType = selector.ReturnType;
        IsNullable = !ValueType.IsValueType || Nullable.GetUnderlyingType(ValueType) is not null;
        Getter = selector.Compile();
    }

    public string Name { get; }
    public LambdaExpression Selector { get; }
    public FieldKind Kind { get; }
    public bool Sortable { get; }
    public Type ValueType { get; }
    public bool IsNullable { get; }
    internal Delegate Getter { get; }

    public object? Read(T entity) => Getter.DynamicInvoke(entity);
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

    private FieldCatalog<T> Add(string name, LambdaExpression selector, FieldKind kind, bool sortable)
    {
        _fields.Add(name, new FieldDefinition<T>(name, selector, kind, sortable));
        return this;
    }

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
