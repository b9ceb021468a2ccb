using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Npgsql;

namespace Rapport.Kernel.Data;

/// <summary>Chooses the provider, its migrations assembly and the SQLite durability settings.</summary>
public static class DatabaseSetup
{
    public const string SqliteMigrations = "Rapport.Migrations.Sqlite";
    public const string PostgresMigrations = "Rapport.Migrations.Postgres";

    public static string SqliteConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "rapport.db"), Pooling = true, DefaultTimeout = 30 }.ToString();

    /// <summary>Statements Npgsql prepares on each pooled connection once used a few times (unless the connection string says otherwise).</summary>
    public const int PostgresAutoPrepared = 128;

    /// <summary>
    /// The connection string with automatic preparation on: PostgreSQL then parses and plans each of Rapport's statements once per
    /// connection instead of on every request (most of a point read's time on the server). A connection string that sets
    /// <c>Max Auto Prepare</c> itself keeps it (0 turns it off, for a pooler in transaction mode).
    /// </summary>
    public static string PostgresConnectionString(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }; // the keys written, as written
        return given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = PostgresAutoPrepared }.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
#pragma warning disable EF1001 // EF Core's SQLite connection, replaced by one that leases its open connection (SqliteConnectionLeases)
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrations))
                    .ReplaceService<ISqliteRelationalConnection, LeasingSqliteConnection>()
                    .AddInterceptors(SqliteDurability.Instance, SqliteWriters.Instance, SqliteKeptStatements.Interceptor);
#pragma warning restore EF1001
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(PostgresConnectionString(connectionString), o => o.MigrationsAssembly(PostgresMigrations));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {provider}.");
        }

        options.UseSnakeCaseNamingConvention();
    }

    /// <summary>Rapport's settings and SQL functions on a newly opened SQLite connection (see <see cref="SqliteDurability"/>).</summary>
    internal static void PrepareSqlite(SqliteConnection connection)
    {
        CustomFields.CustomFieldSql.RegisterSqliteFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = SqliteDurability.Pragmas;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// WAL lets readers run beside the writer; <c>synchronous=FULL</c> makes every acknowledged
    /// commit survive a power cut. The PRAGMAs run once per SQLite handle (WAL persists in the file, the
    /// rest for the handle's life): the pool hands the same handle to many <see cref="SqliteConnection"/>
    /// objects, and running them on every open cost about a tenth of a point read. Rapport's SQL
    /// functions belong to the connection object, so they are registered on every open. Leased connections
    /// (<see cref="SqliteConnectionLeases"/>, the application's) were set up once when opened, and stay open.
    /// </summary>
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        public static readonly SqliteDurability Instance = new();
        public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
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
            if (SqliteKeptStatements.IsLeased(connection))
            {
                return false;
            }

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
