using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.CustomFields;

/// <summary>Queries over the records of an entity type known by its API name (links point at any type; unique checks run on the field's own).</summary>
internal static class CustomFieldRecords
{
    public static Type? ClrType(RapportDbContext db, string entityType) =>
        db.Model.GetEntityTypes().Select(t => t.ClrType)
            .FirstOrDefault(t => t.GetCustomAttribute<Audit.EntityNameAttribute>()?.Name == entityType && typeof(BusinessRecord).IsAssignableFrom(t));

    public static string? Table(RapportDbContext db, string entityType) =>
        ClrType(db, entityType) is { } type ? db.Model.FindEntityType(type)!.GetTableName() : null;

    /// <summary>Whether a record of this type exists in the workspace and is not in the trash.</summary>
    public static Task<bool> ExistsAsync(RapportDbContext db, string entityType, Guid id, CancellationToken ct) =>
        ClrType(db, entityType) is { } type
            ? (Task<bool>)typeof(CustomFieldRecords).GetMethod(nameof(ExistsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type).Invoke(null, [db, id, ct])!
            : Task.FromResult(false);

    /// <summary>Whether another record (not one of <paramref name="except"/>, not in the trash) already holds this value.</summary>
    public static Task<bool> TakenAsync(RapportDbContext db, string entityType, CustomField field, JsonValue value, IReadOnlyCollection<Guid> except, CancellationToken ct)
    {
        var type = ClrType(db, entityType) ?? throw new InvalidOperationException($"No entity type {entityType}.");
        return (Task<bool>)typeof(CustomFieldRecords).GetMethod(nameof(TakenOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db, field, Compared(field, value), except, ct])!;
    }

    /// <summary>The record holding <paramref name="value"/> in a unique field (imports match rows by it), or null.</summary>
    public static Task<Guid?> HolderAsync(RapportDbContext db, string entityType, CustomField field, JsonValue value, CancellationToken ct)
    {
        var type = ClrType(db, entityType) ?? throw new InvalidOperationException($"No entity type {entityType}.");
        return (Task<Guid?>)typeof(CustomFieldRecords).GetMethod(nameof(HolderOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db, field, Compared(field, value), ct])!;
    }

    private static object Compared(CustomField field, JsonValue value) =>
        CustomFieldKinds.IsNumeric(field.Type) ? (double)value.GetValue<decimal>()
        : field.Type == CustomFieldType.YesNo ? value.GetValue<bool>()
        : value.GetValue<string>();

    private static Expression<Func<T, bool>> HoldsValue<T>(RapportDbContext db, CustomField field, object value)
    {
        var selector = CustomFieldSet.SelectorFor(db.IsSqlite, field, typeof(T));
        return Expression.Lambda<Func<T, bool>>(Expression.Equal(selector.Body, FilterCompiler.Parameter(value, selector.ReturnType)), selector.Parameters[0]);
    }

    private static Task<Guid?> HolderOfAsync<T>(RapportDbContext db, CustomField field, object value, CancellationToken ct) where T : WorkspaceEntity =>
        db.Set<T>().Where(HoldsValue<T>(db, field, value)).OrderBy(e => e.Id).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);

    private static Task<bool> ExistsOfAsync<T>(RapportDbContext db, Guid id, CancellationToken ct) where T : WorkspaceEntity =>
        db.Set<T>().AnyAsync(e => e.Id == id, ct);

    private static Task<bool> TakenOfAsync<T>(RapportDbContext db, CustomField field, object value, IReadOnlyCollection<Guid> except, CancellationToken ct)
        where T : WorkspaceEntity
    {
        var ids = except.ToList();
        return db.Set<T>().Where(HoldsValue<T>(db, field, value)).AnyAsync(e => !ids.Contains(e.Id), ct);
    }
}
