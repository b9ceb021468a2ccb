using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Rapport.Kernel.Data;

/// <summary>
/// Writes the rows a context has added — records, their links and keys, audit and search rows, stamped as any save
/// stamps them — the way a database loads rows fastest: PostgreSQL's binary COPY, one per table, and on SQLite one
/// prepared INSERT per table run row after row. Values go through the model's own type mappings (the same conversions
/// a save applies); columns the database computes, or fills itself (SQLite's search rowid), are left to it. Tables are
/// written principals first. A unique or foreign key the database refuses surfaces as the <see cref="DbUpdateException"/>
/// SaveChanges would throw.
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

            var defaulted = type.Key.GetProperties().Where(p => p.GetDefaultValueSql() is not null || p.TryGetDefaultValue(out _)).ToList();
            if (defaulted.Count > 0 && type.Any(e => defaulted.Any(p => e.CurrentValues[p] is null && !e.Property(p).IsTemporary)))
            {
                return false;
            }
        }

        return true;
    }

    public static async Task WriteAsync(DbContext db, IReadOnlyList<EntityEntry> added, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        try
        {
            foreach (var group in InDependencyOrder(added))
            {
                var columns = Columns(group.Value[0]);
                if (connection is NpgsqlConnection npgsql)
                {
                    await CopyAsync(npgsql, group.Key, columns, group.Value, ct);
                }
                else
                {
                    await InsertAsync((SqliteConnection)connection, db.Database.CurrentTransaction!.GetDbTransaction(), group.Key, columns, group.Value, ct);
                }
            }
        }
        catch (Exception e) when (e is PostgresException or SqliteException)
        {
            throw new DbUpdateException("The database refused the rows written in bulk: " + e.Message, e);
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, NpgsqlTypes.NpgsqlDbType? PostgresType, string PostgresTypeName);

    private static bool Skipped(PropertyEntry property) =>
        property.Metadata.GetComputedColumnSql() is not null || property.IsTemporary;

    private static List<Column> Columns(EntityEntry sample)
    {
        var table = StoreObjectIdentifier.Table(sample.Metadata.GetTableName()!, sample.Metadata.GetSchema());
        return [.. sample.Properties.Where(p => !Skipped(p)).Select(p =>
        {
            var mapping = (RelationalTypeMapping)p.Metadata.GetRelationalTypeMapping();
            var storeType = mapping.StoreType;
            var facet = storeType.IndexOf('(', StringComparison.Ordinal);
#pragma warning disable EF1001 // the provider's own type for the column, so COPY need not look it up by name for every value
            var npgsqlType = mapping is Npgsql.EntityFrameworkCore.PostgreSQL.Storage.Internal.Mapping.NpgsqlTypeMapping npgsql ? npgsql.NpgsqlDbType : (NpgsqlTypes.NpgsqlDbType?)null;
#pragma warning restore EF1001
            return new Column(p.Metadata, p.Metadata.GetColumnName(table)!, mapping, npgsqlType, facet < 0 ? storeType : storeType[..facet]);
        })];
    }

    /// <summary>Added rows by table, every table after the tables its foreign keys point to (when those have rows here too).</summary>
    private static List<KeyValuePair<string, List<EntityEntry>>> InDependencyOrder(IReadOnlyList<EntityEntry> added)
    {
        var byType = added.GroupBy(e => e.Metadata).ToDictionary(g => g.Key, g => g.ToList());
        var ordered = new List<KeyValuePair<string, List<EntityEntry>>>();
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
            ordered.Add(new(Quoted(type), byType[type]));
        }

        foreach (var type in byType.Keys)
        {
            Visit(type, []);
        }

        return ordered;
    }

    private static string Quoted(IEntityType type) =>
        (type.GetSchema() is { } schema ? $"\"{schema}\"." : "") + $"\"{type.GetTableName()}\"";

    private static async Task CopyAsync(NpgsqlConnection connection, string table, List<Column> columns, List<EntityEntry> rows, CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            var values = row.CurrentValues;
            foreach (var column in columns)
            {
                var value = values[column.Property] is { } current ? column.Mapping.Converter is { } converter ? converter.ConvertToProvider(current) : current : null;
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

    private static async Task InsertAsync(SqliteConnection connection, DbTransaction transaction, string table, List<Column> columns, List<EntityEntry> rows, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
                             $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        foreach (var row in rows)
        {
            insert.Parameters.Clear();
            var values = row.CurrentValues;
            for (var i = 0; i < columns.Count; i++)
            {
                // The mapping makes the parameter as a save would: converted value, SQLite type (Guids and decimals as text…).
                insert.Parameters.Add(columns[i].Mapping.CreateParameter(insert, "@p" + i, values[columns[i].Property], nullable: true));
            }

            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}
