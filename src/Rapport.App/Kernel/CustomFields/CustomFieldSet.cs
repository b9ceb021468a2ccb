using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.CustomFields;

/// <summary>
/// The custom fields a workspace defined for one entity type, loaded once per request: checks and stores
/// values on writes, shows them in answers, and adds them to the filter and sort allowlist as <c>custom.key</c>.
/// </summary>
public sealed class CustomFieldSet
{
    public const string Prefix = "custom.";

    private CustomFieldSet(string entityType, IReadOnlyList<CustomField> fields, bool sqlite)
    {
        EntityType = entityType;
        Fields = fields;
        Sqlite = sqlite;
    }

    public string EntityType { get; }
    public IReadOnlyList<CustomField> Fields { get; }
    private bool Sqlite { get; }

    public static Task<CustomFieldSet> LoadAsync(RapportDbContext db, string entityType, CancellationToken ct) =>
        db.RememberConfigurationAsync("custom-fields:" + entityType, async () => new CustomFieldSet(entityType, await db.Set<CustomField>().AsNoTracking()
            .Where(f => f.EntityType == entityType).OrderBy(f => f.Position).ThenBy(f => f.Key).ToListAsync(ct), db.IsSqlite), ct);

    public CustomField? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);

    /// <summary>The record's values for the API: defined fields only, by key (values of deleted fields stay stored but unseen).</summary>
    public IReadOnlyDictionary<string, JsonElement> ToApi(string? json)
    {
        var stored = CustomValues.Parse(json);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (stored[field.Key] is { } value)
            {
                values[field.Key] = JsonSerializer.SerializeToElement(value);
            }
        }

        return values;
    }

    /// <summary>
    /// Merges the values a write sends into the record's current ones (null clears a field), applying defaults on create
    /// and the required, type, link and unique rules. Errors are keyed <c>custom.key</c>.
    /// </summary>
    /// <param name="merging">Records being merged into <paramref name="record"/>: their values do not count as taken.</param>
    public async Task<(string Json, Dictionary<string, string[]> Errors)> ApplyAsync<T>(
        RapportDbContext db, T? record, IReadOnlyDictionary<string, JsonElement>? incoming, CancellationToken ct, IReadOnlyCollection<Guid>? merging = null)
        where T : WorkspaceEntity, IHasCustomFields
    {
        var errors = new Dictionary<string, string[]>();
        var defaultCountry = Fields.Any(f => f.Type == CustomFieldType.Phone) && incoming is { Count: > 0 }
            ? (await db.WorkspaceDefaultsAsync(ct)).DefaultCountry
            : "US";
        var values = CustomValues.Parse(record?.CustomFields);
        foreach (var (key, value) in incoming ?? new Dictionary<string, JsonElement>())
        {
            if (Find(key) is not { } field)
            {
                errors[Prefix + key] = [Fields.Count == 0
                    ? $"There is no custom field \"{key}\" on {EntityType}s (none are defined)."
                    : $"There is no custom field \"{key}\" on {EntityType}s. Custom fields: {string.Join(", ", Fields.Select(f => f.Key))}."];
                continue;
            }

            var (stored, error) = CustomFieldKinds.Normalize(field, value, defaultCountry);
            if (error is not null)
            {
                errors[Prefix + key] = [$"{field.Label} {error}"];
            }
            else if (stored is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = stored;
            }
        }

        foreach (var field in Fields)
        {
            if (record is null && field.DefaultValue is not null && !values.ContainsKey(field.Key) && !(incoming?.ContainsKey(field.Key) ?? false))
            {
                values[field.Key] = JsonNode.Parse(field.DefaultValue);
            }

            if (field.Required && values[field.Key] is null && !errors.ContainsKey(Prefix + field.Key))
            {
                errors[Prefix + field.Key] = [$"{field.Label} is required."];
            }
        }

        if (errors.Count == 0)
        {
            await CheckLinksAndUniqueAsync(db, [.. new[] { record?.Id }.OfType<Guid>(), .. merging ?? []], values, errors, ct);
        }

        return (CustomValues.Write(values), errors);
    }

    private async Task CheckLinksAndUniqueAsync(RapportDbContext db, IReadOnlyCollection<Guid> except, JsonObject values, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        foreach (var field in Fields)
        {
            if (values[field.Key] is not JsonValue value)
            {
                continue;
            }

            if (field.Type == CustomFieldType.Link && !await CustomFieldRecords.ExistsAsync(db, field.LinkEntityType!, Guid.Parse(value.GetValue<string>()), ct))
            {
                errors[Prefix + field.Key] = [$"{field.Label} must be the id of one of this workspace's {field.LinkEntityType} records."];
            }
            else if (field.Unique && await CustomFieldRecords.TakenAsync(db, EntityType, field, value, except, ct))
            {
                errors[Prefix + field.Key] = [$"{field.Label} must be unique: another {EntityType} already has this value."];
            }
        }
    }

    /// <summary>Whether a unique violation the database reported was one of these fields (checked again after the fact).</summary>
    public async Task<Dictionary<string, string[]>> UniqueErrorsAsync(RapportDbContext db, Guid recordId, string json, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var values = CustomValues.Parse(json);
        foreach (var field in Fields.Where(f => f.Unique))
        {
            if (values[field.Key] is JsonValue value && await CustomFieldRecords.TakenAsync(db, EntityType, field, value, [recordId], ct))
            {
                errors[Prefix + field.Key] = [$"{field.Label} must be unique: another {EntityType} already has this value."];
            }
        }

        return errors;
    }

    /// <summary>Custom fields a create sets although the caller may not edit them.</summary>
    public static IReadOnlyList<string> NotEditable(IReadOnlyDictionary<string, JsonElement>? incoming, FieldPolicy policy) =>
        [.. (incoming?.Keys ?? []).Select(k => Prefix + k).Where(k => !policy.CanEdit(k))];

    /// <summary>The values without the fields the caller may not see.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Visible(IReadOnlyDictionary<string, JsonElement> values, FieldPolicy policy) =>
        policy.Hidden.Count == 0 ? values : values.Where(v => !policy.IsHidden(Prefix + v.Key)).ToDictionary();

    /// <summary>Custom fields whose value a change alters although the caller may not edit them.</summary>
    public IReadOnlyList<string> Restricted(string? before, string after, FieldPolicy policy)
    {
        var a = CustomValues.Parse(before);
        var b = CustomValues.Parse(after);
        return [.. Fields.Where(f => !policy.CanEdit(Prefix + f.Key) && !JsonNode.DeepEquals(a[f.Key], b[f.Key])).Select(f => Prefix + f.Key)];
    }

    /// <summary>For forms sending every field: values the caller may not edit are taken from the record as it is.</summary>
    public IReadOnlyDictionary<string, JsonElement> Keep(string? before, IReadOnlyDictionary<string, JsonElement>? sent, FieldPolicy policy)
    {
        var current = ToApi(before);
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            var editable = policy.CanEdit(Prefix + field.Key);
            var source = editable ? sent : current;
            result[field.Key] = source is not null && source.TryGetValue(field.Key, out var v) ? v : JsonSerializer.SerializeToElement<object?>(null);
        }

        return result;
    }

    /// <summary>The allowlist of a list endpoint plus these fields as <c>custom.key</c>; hidden ones are then removed by the caller's field policy.</summary>
    public FieldCatalog<T> Extend<T>(FieldCatalog<T> catalog) where T : IHasCustomFields
    {
        if (Fields.Count == 0)
        {
            return catalog;
        }

        var extended = catalog.Copy();
        foreach (var field in Fields)
        {
            var selector = SelectorFor(Sqlite, field, typeof(T));
            var kind = CustomFieldKinds.FilterKind(field.Type);
            var captured = field;
            Func<Expression, Expression, Expression>? has = kind == FieldKind.Set
                ? (entity, option) => Expression.Call(typeof(CustomFieldSql).GetMethod(nameof(CustomFieldSql.HasOption))!,
                    Expression.Property(entity, nameof(IHasCustomFields.CustomFields)), Expression.Constant(CustomFieldSql.Path(Sqlite, captured.Key)), option)
                : null;
            extended.Computed(Prefix + field.Key, selector, kind, field.Sortable || CustomFieldKinds.CanSort(field.Type) && field.Unique,
                e => CustomValues.Read(e.CustomFields, captured), v => CustomFieldKinds.FilterValue(kind, v), has, Sqlite ? null : SeekFromOnPostgres);
        }

        return extended;
    }

    /// <summary>
    /// <c>((field IS NULL), field) &gt;= (false, @value)</c>, or <c>((field IS NULL), field, id) &gt; (false, @value, @id)</c>
    /// past the cursor's row: the rows from there on, then those without a value, as a row comparison PostgreSQL seeks the
    /// sort index (workspace, is-null, value, id) with, ties on the value included. <c>(field IS NULL) = false</c> would
    /// not do: PostgreSQL folds it into <c>field IS NOT NULL</c>, which no longer names the index's is-null column.
    /// </summary>
    private static Expression SeekFromOnPostgres(Expression member, Expression value, (Expression Id, Expression CursorId)? past)
    {
        var isNull = Expression.Equal(member, Expression.Constant(null, member.Type));
        Expression[] left = past is { } p ? [isNull, member, p.Id] : [isNull, member];
        Expression[] right = past is { } q ? [Expression.Constant(false), value, q.CursorId] : [Expression.Constant(false), value];
        var create = typeof(ValueTuple).GetMethods().Single(m => m.Name == nameof(ValueTuple.Create) && m.GetGenericArguments().Length == left.Length)
            .MakeGenericMethod([.. left.Select(e => e.Type)]);
        var compare = past is null ? nameof(NpgsqlDbFunctionsExtensions.GreaterThanOrEqual) : nameof(NpgsqlDbFunctionsExtensions.GreaterThan);
        return Expression.Call(typeof(NpgsqlDbFunctionsExtensions).GetMethod(compare)!,
            Expression.Property(null, typeof(EF).GetProperty(nameof(EF.Functions))!),
            Expression.Convert(Expression.Call(create, left), typeof(System.Runtime.CompilerServices.ITuple)),
            Expression.Convert(Expression.Call(create, right), typeof(System.Runtime.CompilerServices.ITuple)));
    }

    /// <summary><c>e => CustomFieldSql.Text(e.CustomFields, "$.key")</c> (or Number / YesNo), with the key as a constant so indexes match.</summary>
    internal static LambdaExpression SelectorFor(bool sqlite, CustomField field, Type entityType)
    {
        var entity = Expression.Parameter(entityType, "e");
        var function = CustomFieldKinds.IsNumeric(field.Type) ? nameof(CustomFieldSql.Number)
            : field.Type == CustomFieldType.YesNo ? nameof(CustomFieldSql.YesNo)
            : nameof(CustomFieldSql.Text);
        var call = Expression.Call(typeof(CustomFieldSql).GetMethod(function)!,
            Expression.Property(entity, nameof(IHasCustomFields.CustomFields)),
            Expression.Constant(CustomFieldSql.Path(sqlite, field.Key)));
        return Expression.Lambda(call, entity);
    }
}
