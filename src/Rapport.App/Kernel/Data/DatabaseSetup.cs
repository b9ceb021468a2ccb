using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rapport.Kernel.Data;

/// <summary>Chooses the provider, its migrations assembly and the SQLite durability settings.</summary>
public static class DatabaseSetup
{
    public const string SqliteMigrations = "Rapport.Migrations.Sqlite";
    public const string PostgresMigrations = "Rapport.Migrations.Postgres";

    public static string SqliteConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "rapport.db"), Pooling = true, DefaultTimeout = 30 }.ToString();

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrations))
                    .AddInterceptors(SqliteDurability.Instance, SqliteWriters.Instance);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrations));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {provider}.");
        }

        options.UseSnakeCaseNamingConvention();
    }

    /// <summary>
    /// WAL lets readers run beside the writer; <c>synchronous=FULL</c> makes every acknowledged
    /// commit survive a power cut. The PRAGMAs run once per SQLite handle (WAL persists in the file, the
    /// rest for the handle's life): the pool hands the same handle to many <see cref="SqliteConnection"/>
    /// objects, and running them on every open cost about a tenth of a point read. Rapport's SQL
    /// functions belong to the connection object, so they are registered on every open.
    /// </summary>
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        public static readonly SqliteDurability Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (FirstOpen((SqliteConnection)connection))
            {
                using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                command.ExecuteNonQuery();
            }
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (FirstOpen((SqliteConnection)connection))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        /// <summary>Registers Rapport's SQL functions, and says whether the handle is new.</summary>
        private static bool FirstOpen(SqliteConnection connection)
        {
            CustomFields.CustomFieldSql.RegisterSqliteFunctions(connection);
            var handle = connection.Handle!;
            if (Prepared.TryGetValue(handle, out _))
            {
                return false;
            }

            Prepared.AddOrUpdate(handle, handle);
            return true;
        }
    }
}
