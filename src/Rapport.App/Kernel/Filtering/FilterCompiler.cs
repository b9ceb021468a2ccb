using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Rapport.Kernel.Filtering;

/// <summary>
/// Compiles the filter language of DESIGN.md (a JSON tree of and/or/not and conditions) into an
/// expression tree the database runs. Every field comes from the entity's <see cref="FieldCatalog{T}"/>;
/// every value is converted to the field's type and passed as a parameter, never as SQL text.
/// </summary>
public static class FilterCompiler
{
    public const int MaxDepth = 8;
    public const int MaxConditions = 50;
    public const int MaxListValues = 100;
    private const string Param = "filter";

    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public static Expression<Func<T, bool>> Compile<T>(string json, FieldCatalog<T> fields, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth * 2 + 2 });
        }
        catch (JsonException)
        {
            throw new FilterException(Param, "The filter is not valid JSON.");
        }

        using (document)
        {
            var entity = Expression.Parameter(typeof(T), "e");
            var context = new Context<T>(fields, entity, now);
            return Expression.Lambda<Func<T, bool>>(context.Node(document.RootElement, 0), entity);
        }
    }

    private sealed class Context<T>(FieldCatalog<T> fields, ParameterExpression entity, DateTimeOffset now)
    {
        private int _conditions;

        public Expression Node(JsonElement node, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FilterException(Param, $"The filter is nested deeper than {MaxDepth} levels.");
            }

            if (node.ValueKind != JsonValueKind.Object)
            {
                throw new FilterException(Param, "Each filter node must be a JSON object.");
            }

            var keys = node.EnumerateObject().Select(p => p.Name).ToList();
            if (keys is ["and"] or ["or"])
            {
                var children = node.GetProperty(keys[0]);
                if (children.ValueKind != JsonValueKind.Array || children.GetArrayLength() == 0)
                {
                    throw new FilterException(Param, $"\"{keys[0]}\" takes a non-empty array of filters.");
                }

                var parts = children.EnumerateArray().Select(c => Node(c, depth + 1)).ToList();
                return parts.Aggregate(keys[0] == "and" ? Expression.AndAlso : (Func<Expression, Expression, Expression>)Expression.OrElse);
            }

            if (keys is ["not"])
            {
                return Expression.Not(Node(node.GetProperty("not"), depth + 1));
            }

            var unknown = keys.Except(["field", "op", "value"]).ToList();
            if (unknown.Count > 0 || !keys.Contains("field") || !keys.Contains("op"))
            {
                throw new FilterException(Param,
                    "A filter node is either {\"and\":[…]}, {\"or\":[…]}, {\"not\":{…}} or a condition {\"field\",\"op\",\"value\"}.");
            }

            if (++_conditions > MaxConditions)
            {
                throw new FilterException(Param, $"A filter may hold at most {MaxConditions} conditions.");
            }

            return Condition(node);
        }

        private Expression Condition(JsonElement node)
        {
            var fieldName = node.GetProperty("field") is { ValueKind: JsonValueKind.String } f ? f.GetString()! : "";
            var field = fields.Find(fieldName)
                ?? throw new FilterException(Param, $"Unknown field \"{Truncate(fieldName)}\". Known fields: {string.Join(", ", fields.All.Select(x => x.Name))}.");
            var op = node.GetProperty("op") is { ValueKind: JsonValueKind.String } o ? o.GetString()! : "";
            var hasValue = node.TryGetProperty("value", out var value);
            var member = Rebind(field.Selector, entity);
            var type = field.ValueType;

            Expression Value(JsonElement v) => Parameter(field.Store(Convert(field, op, v)), type);

            JsonElement Required()
            {
                if (!hasValue || value.ValueKind == JsonValueKind.Null)
                {
                    throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" needs a value (use isNull to match empty values).");
                }

                return value;
            }

            if (field.Kind == FieldKind.Set)
            {
                return SetCondition(field, op, member, hasValue ? value : default);
            }

            switch (op)
            {
                case "eq": return Expression.Equal(member, Value(Required()));
                case "neq":
                    var notEqual = Expression.NotEqual(member, Value(Required()));
                    return field.IsNullable ? Expression.OrElse(Expression.Equal(member, Expression.Constant(null, type)), notEqual) : notEqual;
                case "lt": return Compare(field, member, Value(Required()), ExpressionType.LessThan);
                case "lte": return Compare(field, member, Value(Required()), ExpressionType.LessThanOrEqual);
                case "gt": return Compare(field, member, Value(Required()), ExpressionType.GreaterThan);
                case "gte": return Compare(field, member, Value(Required()), ExpressionType.GreaterThanOrEqual);
                case "between":
                    var range = List(field, op, Required());
                    if (range.Count != 2)
                    {
                        throw new FilterException(Param, $"\"between\" on \"{field.Name}\" takes an array of two values [from, to].");
                    }

                    return Expression.AndAlso(
                        Compare(field, member, Value(range[0]), ExpressionType.GreaterThanOrEqual),
                        Compare(field, member, Value(range[1]), ExpressionType.LessThanOrEqual));
                case "in" or "nin":
                    var values = List(field, op, Required());
                    if (values.Count == 0 || values.Count > MaxListValues)
                    {
                        throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" takes an array of 1 to {MaxListValues} values.");
                    }

                    var any = values.Select(v => (Expression)Expression.Equal(member, Value(v))).Aggregate(Expression.OrElse);
                    return op == "in" ? any : Expression.Not(any);
                case "contains" or "startsWith":
                    if (field.Kind != FieldKind.Text)
                    {
                        throw new FilterException(Param, $"\"{op}\" works on text fields; \"{field.Name}\" is not text.");
                    }

                    var text = Required();
                    if (text.ValueKind != JsonValueKind.String)
                    {
                        throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" takes a string.");
                    }

                    var lowered = Expression.Call(member, ToLower);
                    var needle = Parameter(text.GetString()!.ToLowerInvariant(), typeof(string));
                    return Expression.AndAlso(
                        Expression.NotEqual(member, Expression.Constant(null, typeof(string))),
                        Expression.Call(lowered, op == "contains" ? StringContains : StringStartsWith, needle));
                case "isNull": return field.IsNullable ? Expression.Equal(member, Expression.Constant(null, type)) : Expression.Constant(false);
                case "isNotNull": return field.IsNullable ? Expression.NotEqual(member, Expression.Constant(null, type)) : Expression.Constant(true);
                case "inLast" or "inNext":
                    return Relative(field, member, op, Required());
                default:
                    throw new FilterException(Param,
                        $"Unknown operator \"{Truncate(op)}\". Operators: eq, neq, lt, lte, gt, gte, between, in, nin, contains, startsWith, isNull, isNotNull, inLast, inNext.");
            }
        }

        /// <summary>A multi-select: eq/neq ask whether it has one key, in/nin whether it has any of several.</summary>
        private Expression SetCondition(FieldDefinition<T> field, string op, Expression member, JsonElement value)
        {
            Expression Has(JsonElement key) => key.ValueKind == JsonValueKind.String
                ? field.Has!(entity, Parameter(key.GetString()!, typeof(string)))
                : throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" takes option keys (strings).");

            switch (op)
            {
                case "eq" or "neq":
                    var one = Has(value);
                    return op == "eq" ? one : Expression.Not(one);
                case "in" or "nin":
                    var keys = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [];
                    if (keys.Count is 0 or > MaxListValues)
                    {
                        throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" takes an array of 1 to {MaxListValues} option keys.");
                    }

                    var any = keys.Select(Has).Aggregate(Expression.OrElse);
                    return op == "in" ? any : Expression.Not(any);
                case "isNull": return Expression.Equal(member, Expression.Constant(null, member.Type));
                case "isNotNull": return Expression.NotEqual(member, Expression.Constant(null, member.Type));
                default:
                    throw new FilterException(Param, $"\"{field.Name}\" holds several options: use eq, neq, in, nin, isNull or isNotNull.");
            }
        }

        private Expression Relative(FieldDefinition<T> field, Expression member, string op, JsonElement value)
        {
            if (field.Kind is not (FieldKind.Instant or FieldKind.Date))
            {
                throw new FilterException(Param, $"\"{op}\" works on dates and times; \"{field.Name}\" is not one.");
            }

            var span = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
            if (span.Length < 2 || !int.TryParse(span[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000)
            {
                throw new FilterException(Param, $"\"{op}\" takes a period like \"30d\", \"12h\", \"2w\", \"6m\" or \"1y\".");
            }

            var sign = op == "inLast" ? -1 : 1;
            DateTimeOffset other = span[^1] switch
            {
                'h' => now.AddHours(sign * n),
                'd' => now.AddDays(sign * n),
                'w' => now.AddDays(sign * 7 * n),
                'm' => now.AddMonths(sign * n),
                'y' => now.AddYears(sign * n),
                _ => throw new FilterException(Param, $"\"{op}\" takes a period ending in h, d, w, m or y."),
            };
            var (from, to) = sign < 0 ? (other, now) : (now, other);
            object Boundary(DateTimeOffset at) => field.Kind == FieldKind.Date ? DateOnly.FromDateTime(at.UtcDateTime) : at;
            return Expression.AndAlso(
                Compare(field, member, Parameter(field.Store(Boundary(from)), field.ValueType), ExpressionType.GreaterThanOrEqual),
                Compare(field, member, Parameter(field.Store(Boundary(to)), field.ValueType), ExpressionType.LessThanOrEqual));
        }

        private static List<JsonElement> List(FieldDefinition<T> field, string op, JsonElement value) =>
            value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray()]
                : throw new FilterException(Param, $"\"{op}\" on \"{field.Name}\" takes an array.");
    }

    /// <summary>Builds <c>member op value</c>; text compares through <see cref="string.Compare(string, string)"/>, which EF translates.</summary>
    internal static Expression Compare<T>(FieldDefinition<T> field, Expression member, Expression value, ExpressionType comparison)
    {
        // Text, and dates and times kept as sortable text (custom fields), compare through string.Compare.
        return field.Kind is FieldKind.Id or FieldKind.Boolean or FieldKind.Set
            ? throw new FilterException(Param, $"\"{field.Name}\" can only be compared for equality.")
            : member.Type == typeof(string)
                ? Expression.MakeBinary(comparison, Expression.Call(StringCompare, member, value), Expression.Constant(0))
                : Expression.MakeBinary(comparison, member, value);
    }

    /// <summary>Wraps a value so EF sends it as a query parameter rather than inlining it.</summary>
    internal static Expression Parameter(object? value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(ValueHolder<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(holder), "Value");
    }

    private sealed class ValueHolder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    internal static object Convert<T>(FieldDefinition<T> field, string op, JsonElement value)
    {
        var bad = new FilterException(Param, $"\"{op}\" on \"{field.Name}\" got a value that is not a valid {Describe(field.Kind)}.");
        var type = Nullable.GetUnderlyingType(field.ValueType) ?? field.ValueType;
        switch (field.Kind)
        {
            case FieldKind.Text:
                return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw bad;
            case FieldKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw bad;
            case FieldKind.Number:
                if (value.ValueKind != JsonValueKind.Number)
                {
                    throw bad;
                }

                // Boxed apart: one conditional would make an int field's value a decimal (the common type of both branches).
                return type == typeof(int) ? (object)(value.TryGetInt32(out var i) ? i : throw bad) : (value.TryGetDecimal(out var d) ? d : throw bad);
            default:
                return value.ValueKind == JsonValueKind.String && ParseText(field.Kind, value.GetString()!) is { } parsed ? parsed : throw bad;
        }
    }

    /// <summary>Reads the invariant text form of an id, instant or date; null when it does not parse.</summary>
    internal static object? ParseText(FieldKind kind, string text) => kind switch
    {
        FieldKind.Id => Guid.TryParse(text, out var g) ? g : null,
        FieldKind.Instant => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null,
        FieldKind.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
        FieldKind.Number => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null,
        FieldKind.Boolean => bool.TryParse(text, out var b) ? b : null,
        _ => text,
    };

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Text => "string",
        FieldKind.Id => "id (a UUID string)",
        FieldKind.Instant => "date-time (ISO 8601 string)",
        FieldKind.Date => "date (yyyy-MM-dd string)",
        FieldKind.Number => "number",
        FieldKind.Boolean => "boolean",
        FieldKind.Set => "option key",
        _ => "value",
    };

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    internal static Expression Rebind(LambdaExpression selector, ParameterExpression entity) =>
        new ParameterReplacer(selector.Parameters[0], entity).Visit(selector.Body);
}
