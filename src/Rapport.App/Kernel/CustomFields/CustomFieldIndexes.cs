using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.CustomFields;

/// <summary>
/// Keeps the expression indexes of custom fields in step with their definitions: a sortable (or unique) field
/// gets a sort index shared by every workspace using that key and type; a unique field a partial unique index for
/// its workspace; on PostgreSQL every field statistics on its expression. Runs in the transaction that saves the definition. Kernel code: the DDL names only checked keys.
/// </summary>
internal static class CustomFieldIndexes
{
    public static async Task SyncAsync(RapportDbContext db, CustomField field, CustomField? before, CancellationToken ct)
    {
        var table = CustomFieldRecords.Table(db, field.EntityType)!;
        var sqlite = db.IsSqlite;
        var alive = field.DeletedAt is null;
        if (before is not null && (before.Unique && (!field.Unique || !alive || KindChanged(before, field))))
        {
            await db.Database.ExecuteSqlRawAsync(CustomFieldSql.DropIndex(CustomFieldSql.UniqueIndexName(table, before)), ct);
        }

        if (before is not null && before.Indexed && (!alive || !field.Indexed || KindChanged(before, field)))
        {
            await DropSortIndexIfUnusedAsync(db, table, before, ct);
        }

        if (alive && field.Indexed)
        {
            await db.Database.ExecuteSqlRawAsync(CustomFieldSql.CreateSortIndex(sqlite, table, field), ct);
        }

        if (alive && field.Unique)
        {
            await db.Database.ExecuteSqlRawAsync(CustomFieldSql.CreateUniqueIndex(sqlite, table, field), ct);
        }

        if (sqlite)
        {
            return; // SQLite's planner has no statistics on expressions to keep
        }

        if (before is not null && (!alive || KindChanged(before, field)))
        {
            await DropIfUnusedAsync(db, before, f => CustomFieldSql.StatisticsName(table, f), CustomFieldSql.DropStatistics, f => true, ct);
        }

        if (alive)
        {
            await db.Database.ExecuteSqlRawAsync(CustomFieldSql.CreateStatistics(table, field), ct);
        }
    }

    /// <summary>
    /// Statistics on the expression of every live field (PostgreSQL), for fields defined before Rapport kept them; run at
    /// start after the migrations. One statement per table, key and kind, each doing nothing when the statistics exist.
    /// </summary>
    public static async Task EnsureStatisticsAsync(RapportDbContext db, CancellationToken ct)
    {
        if (db.IsSqlite)
        {
            return;
        }

        var fields = await db.Set<CustomField>().IgnoreQueryFilters().AsNoTracking().Where(f => f.DeletedAt == null).ToListAsync(ct);
        var statements = fields.Where(f => CustomFieldRecords.Table(db, f.EntityType) is not null)
            .Select(f => CustomFieldSql.CreateStatistics(CustomFieldRecords.Table(db, f.EntityType)!, f)).Distinct();
        foreach (var statement in statements)
        {
            await db.Database.ExecuteSqlRawAsync(statement, ct);
        }
    }

    private static bool KindChanged(CustomField before, CustomField after) =>
        CustomFieldSql.IndexExpression(false, before) != CustomFieldSql.IndexExpression(false, after);

    /// <summary>The sort index is shared by workspaces using the same key and kind: dropped when the last of them stops needing it.</summary>
    private static Task DropSortIndexIfUnusedAsync(RapportDbContext db, string table, CustomField before, CancellationToken ct) =>
        DropIfUnusedAsync(db, before, f => CustomFieldSql.SortIndexName(table, f), CustomFieldSql.DropIndex, f => f.Sortable || f.Unique, ct);

    /// <summary>Drops a shared index or statistics object of <paramref name="before"/> unless another live definition that needs one has the same name.</summary>
    private static async Task DropIfUnusedAsync(RapportDbContext db, CustomField before, Func<CustomField, string> nameOf, Func<string, string> drop,
        System.Linq.Expressions.Expression<Func<CustomField, bool>> needs, CancellationToken ct)
    {
        var others = await db.Set<CustomField>().IgnoreQueryFilters()
            .Where(f => f.EntityType == before.EntityType && f.Key == before.Key && f.Id != before.Id && f.DeletedAt == null).Where(needs)
            .ToListAsync(ct);
        if (others.All(o => nameOf(o) != nameOf(before)))
        {
            await db.Database.ExecuteSqlRawAsync(drop(nameOf(before)), ct);
        }
    }

    /// <summary>A copy of a definition as it was before a change, to compare index needs.</summary>
    public static CustomField Snapshot(CustomField field) => (CustomField)typeof(CustomField)
        .GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(field, null)!;
}

/// <summary>Existing values when a field's type or options change: each must fit the new definition, or the change is refused.</summary>
internal static class CustomFieldConversion
{
    public const int MaxReported = 5;

    /// <summary>Records holding a value for the field, tracked, so rewritten values are audited and versioned.</summary>
    public static Task<List<IHasCustomFields>> RecordsWithValueAsync(RapportDbContext db, CustomField field, CancellationToken ct)
    {
        var type = CustomFieldRecords.ClrType(db, field.EntityType)!;
        return (Task<List<IHasCustomFields>>)typeof(CustomFieldConversion).GetMethod(nameof(RecordsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [db, field, ct])!;
    }

    private static async Task<List<IHasCustomFields>> RecordsOfAsync<T>(RapportDbContext db, CustomField field, CancellationToken ct)
        where T : class, IHasCustomFields
    {
        var path = CustomFieldSql.Path(db.IsSqlite, field.Key);
        var rows = await db.Set<T>().IgnoreQueryFilters([RapportDbContext.TrashFilter])
            .Where(e => CustomFieldSql.Text(e.CustomFields, path) != null).ToListAsync(ct);
        return [.. rows.Cast<IHasCustomFields>()];
    }

    /// <summary>Rewrites each value in the new form; returns how many do not fit and a few of them, for the message.</summary>
    public static (int Count, List<string> Examples) Convert(IEnumerable<IHasCustomFields> records, CustomField field, string defaultCountry)
    {
        var misfits = new List<string>();
        var count = 0;
        foreach (var record in records)
        {
            var values = CustomValues.Parse(record.CustomFields);
            if (values[field.Key] is not { } stored)
            {
                continue;
            }

            var (converted, error) = CustomFieldKinds.Normalize(field, CustomFieldRules.Carry(stored, field.Type), defaultCountry);
            if (error is not null)
            {
                count++;
                if (misfits.Count < MaxReported)
                {
                    misfits.Add(stored.ToJsonString());
                }

                continue;
            }

            if (!JsonNode.DeepEquals(stored, converted))
            {
                if (converted is null)
                {
                    values.Remove(field.Key);
                }
                else
                {
                    values[field.Key] = converted;
                }

                record.SetCustomFields(CustomValues.Write(values));
            }
        }

        return (count, misfits);
    }

    /// <summary>Whether two live records hold the same value (so the field cannot become unique).</summary>
    public static bool HasRepeats(IEnumerable<IHasCustomFields> records, CustomField field) =>
        records.Where(r => r is Entities.BusinessRecord { DeletedAt: null })
            .GroupBy(r => CustomValues.Parse(r.CustomFields)[field.Key]?.ToJsonString())
            .Any(g => g.Key is not null && g.Count() > 1);
}
