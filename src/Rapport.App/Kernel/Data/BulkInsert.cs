using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Rapport.Kernel.Data;

/// <summary>
/// Writes new rows — records, their links and keys, audit and search rows, stamped as any save stamps them — the way a
/// database loads rows fastest: PostgreSQL's binary COPY, one per table, and on SQLite one prepared INSERT per table, run
/// row after row. The rows are either entries a context tracks as added, or plain entities that never entered the change
/// tracker (<see cref="RapportDbContext.AddUntracked"/>), read through the model's compiled getters. Values go through
/// the model's own type mappings (the same conversions a save applies); columns the database computes, or fills itself
/// (SQLite's search rowid), are left to it. Tables are written principals first. A unique or foreign key the database
/// refuses surfaces as the <see cref="DbUpdateException"/> SaveChanges would throw. Each write returns the tables it
/// wrote to (quoted names), for <see cref="TableStatistics"/>.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Whether the added rows can all be written this way: no column the database would fill with its default is left empty.</summary>
    public static bool CanWrite(IReadOnlyList<EntityEntry> added)
    {
        foreach (var type in added.GroupBy(e => e.Metadata))
        {
            if (type.Key.GetTableName() is null || type.Key.IsOwned())
            {
                return false;
            }

            var defaulted = Defaulted(type.Key);
            if (defaulted.Count > 0 && type.Any(e => defaulted.Any(p => e.CurrentValues[p] is null && !e.Property(p).IsTemporary)))
            {
                return false;
            }
        }

        return true;
    }

    private static List<IProperty> Defaulted(IEntityType type) =>
        [.. type.GetProperties().Where(p => p.GetDefaultValueSql() is not null || p.TryGetDefaultValue(out _))];

    /// <summary>Writes entries a context tracks as added.</summary>
    public static Task<List<string>> WriteAsync(DbContext db, IReadOnlyList<EntityEntry> added, CancellationToken ct) =>
        WriteAsync(db, added.GroupBy(e => e.Metadata).Select(g =>
        {
            var sample = g.First();
            var columns = sample.Properties.Where(p => p.Metadata.GetComputedColumnSql() is null && !p.IsTemporary)
                .Select(p => Column.Of(p.Metadata, row => ((EntityEntry)row).CurrentValues[p.Metadata])).ToList();
            return (g.Key, columns, g.Cast<object>().ToList());
        }).ToList(), ct);

    /// <summary>Writes plain entities, by type, that no context tracks (their values read through the model's getters).</summary>
    public static Task<List<string>> WriteUntrackedAsync(DbContext db, IReadOnlyDictionary<IEntityType, List<object>> rows, CancellationToken ct) =>
        WriteAsync(db, rows.Where(r => r.Value.Count > 0).Select(r => (r.Key, UntrackedColumns(r.Key), r.Value)).ToList(), ct);

    /// <summary>Whether entities of this type can be written untracked: a table of their own, and every column either read from the entity or filled by the database.</summary>
    public static bool CanWriteUntracked(IEntityType type) =>
        type.GetTableName() is not null && !type.IsOwned() && type.GetProperties().All(p =>
            p.GetComputedColumnSql() is not null || (p.IsShadowProperty() ? p.ValueGenerated != ValueGenerated.Never && p.ClrType == typeof(long) : p.PropertyInfo is not null || p.FieldInfo is not null));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, List<Column>> Untracked = new();

    private static List<Column> UntrackedColumns(IEntityType type) => Untracked.GetOrAdd(type, t =>
    {
        var defaulted = Defaulted(t);
        return [.. t.GetProperties().Where(p => p.GetComputedColumnSql() is null && !p.IsShadowProperty()).Select(p =>
        {
            var getter = p.GetGetter();
            return defaulted.Contains(p)
                ? Column.Of(p, row => getter.GetClrValueUsingContainingEntity(row)
                    ?? throw new InvalidOperationException($"{t.DisplayName()}.{p.Name} is empty: written untracked, the database's default would not apply."))
                : Column.Of(p, getter.GetClrValueUsingContainingEntity);
        })];
    });

    private static async Task<List<string>> WriteAsync(DbContext db, List<(IEntityType Type, List<Column> Columns, List<object> Rows)> tables, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var written = new List<string>();
        try
        {
            foreach (var (type, columns, rows) in InDependencyOrder(tables))
            {
                written.Add(Quoted(type));
                if (connection is NpgsqlConnection npgsql)
                {
                    await CopyAsync(npgsql, Quoted(type), columns, rows, ct);
                }
                else
                {
                    Insert((SqliteConnection)connection, db.Database.CurrentTransaction!.GetDbTransaction(), Quoted(type), columns, rows);
                }
            }

            return written;
        }
        catch (Exception e) when (e is PostgresException or SqliteException)
        {
            throw new DbUpdateException("The database refused the rows written in bulk: " + e.Message, e);
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, NpgsqlTypes.NpgsqlDbType? PostgresType, string PostgresTypeName,
        Func<object, object?> Read)
    {
        public static Column Of(IProperty property, Func<object, object?> read)
        {
            var type = property.DeclaringType.ContainingEntityType;
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
            var storeType = mapping.StoreType;
            var facet = storeType.IndexOf('(', StringComparison.Ordinal);
#pragma warning disable EF1001 // the provider's own type for the column, so COPY need not look it up by name for every value
            var npgsqlType = mapping is Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal.Mapping.NpgsqlTypeMapping npgsql ? npgsql.NpgsqlDbType : (NpgsqlTypes.NpgsqlDbType?)null;
#pragma warning restore EF1001
            return new Column(property, property.GetColumnName(table)!, mapping, npgsqlType, facet < 0 ? storeType : storeType[..facet], read);
        }

        /// <summary>The row's value as the database stores it (through the mapping's converter).</summary>
        public object? ValueOf(object row) => Read(row) is { } value ? Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value : null;
    }

    /// <summary>Tables, every table after the tables its foreign keys point to (when those have rows here too).</summary>
    private static List<(IEntityType Type, List<Column> Columns, List<object> Rows)> InDependencyOrder(List<(IEntityType Type, List<Column> Columns, List<object> Rows)> tables)
    {
        var byType = tables.ToDictionary(t => t.Type);
        var ordered = new List<(IEntityType, List<Column>, List<object>)>();
        var done = new HashSet<IEntityType>();
        void Visit(IEntityType type, HashSet<IEntityType> path)
        {
            if (done.Contains(type) || !path.Add(type))
            {
                return;
            }

            foreach (var principal in type.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != type && byType.ContainsKey(p)))
            {
                Visit(principal, path);
            }

            done.Add(type);
            ordered.Add(byType[type]);
        }

        foreach (var type in byType.Keys)
        {
            Visit(type, []);
        }

        return ordered;
    }

    private static string Quoted(IEntityType type) =>
        (type.GetSchema() is { } schema ? $"\"{schema}\"." : "") + $"\"{type.GetTableName()}\"";

    private static async Task CopyAsync(NpgsqlConnection connection, string table, List<Column> columns, List<object> rows, CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var column in columns)
            {
                var value = column.ValueOf(row);
                if (value is null)
                {
                    await copy.WriteNullAsync(ct);
                }
                else if (column.PostgresType is { } type)
                {
                    await copy.WriteAsync(value, type, ct);
                }
                else
                {
                    await copy.WriteAsync(value, column.PostgresTypeName, ct);
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    private static void Insert(SqliteConnection connection, DbTransaction transaction, string table, List<Column> columns, List<object> rows)
    {
        // One prepared single-row INSERT run again with new values: SQLite binds parameters by name, so a multi-row
        // statement (hundreds of names to look up on each run) costs more than it saves.
        using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
                             $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        // The mapping makes each parameter as a save would (SQLite type: Guids and decimals as text…); values are set per row.
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(insert, "@p" + i, null, nullable: true)).ToArray();
        insert.Parameters.AddRange(parameters);
        insert.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].ValueOf(row) ?? DBNull.Value;
            }

            insert.ExecuteNonQuery(); // SQLite works in-process: its async methods run synchronously anyway
        }
    }
}
