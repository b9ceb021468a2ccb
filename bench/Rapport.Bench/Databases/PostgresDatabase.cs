using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Rapport.Bench.Generator;
using Rapport.Bench.Server;

namespace Rapport.Bench.Databases;

/// <summary>
/// PostgreSQL through <c>psql</c>. The ceiling's tables come from <c>pg_dump --schema-only</c> of the contact tables of a
/// database Rapport migrated — columns, primary keys, every index, the search entries' computed <c>tsvector</c> and its GIN
/// index — without the foreign keys (they point at workspaces, members and companies the ceiling does not load).
/// Each run gets a fresh database made from that template.
/// </summary>
public sealed partial class PostgresDatabase(BenchOptions options) : BenchDatabase(options)
{
    private const string Template = "bench_ceiling_template";

    public override string Name => "postgres";

    public override async Task<string> VersionAsync() => "PostgreSQL " + (await Psql("postgres", "SHOW server_version;")).Output.Trim().Split(' ')[0];

    public override async Task PrepareAsync()
    {
        const string scratch = "bench_schema";
        await Psql("postgres", $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE);\nDROP DATABASE IF EXISTS {Template} WITH (FORCE);");
        await MigrateAsync(["--Database:Provider=Postgres", $"--Database:ConnectionString={ConnectionString(scratch)}"]);
        var dump = (await Shell.RunAsync("pg_dump", [.. Connection(scratch), "--schema-only", "--no-owner", .. ContactTables.Select(t => "--table=public." + t)])).Output;
        var schema = ForeignKey().Replace(dump, "");
        await File.WriteAllTextAsync(Path.Combine(Options.WorkDirectory, "ceiling-schema.postgres.sql"), schema);
        await Psql("postgres", $"CREATE DATABASE {Template};");
        await Psql(Template, "CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;\n" + schema);
        var indexes = $"SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ({string.Join(", ", ContactTables.Select(t => $"'{t}'"))});";
        var (cloned, original) = ((await Psql(Template, indexes)).Output.Trim(), (await Psql(scratch, indexes)).Output.Trim());
        if (cloned != original)
        {
            throw new InvalidOperationException($"The ceiling's tables have {cloned} indexes, Rapport's {original}.");
        }

        await Psql("postgres", $"DROP DATABASE {scratch} WITH (FORCE);");
    }

    public override async Task<CeilingDatabase> NewCeilingAsync(string name)
    {
        await Psql("postgres", $"DROP DATABASE IF EXISTS {name} WITH (FORCE);\nCREATE DATABASE {name} TEMPLATE {Template};");
        return new Ceiling(this, name);
    }

    public override RapportDatabase NewRapport(string name) => new Rapport(this, name);

    private string ConnectionString(string database) =>
        $"Host={Options.PostgresHost};Port={Options.PostgresPort};Username={Options.PostgresUser};Database={database};Pooling=true";

    private string[] Connection(string database) =>
        ["-h", Options.PostgresHost, "-p", Options.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", Options.PostgresUser, "-d", database];

    private Task<Shell.Result> Psql(string database, string script) =>
        Shell.RunAsync("psql", [.. Connection(database), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], script);

    private Task DropAsync(string database) => Psql("postgres", $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");

    [GeneratedRegex(@"ALTER TABLE ONLY [^;]*FOREIGN KEY[^;]*;\n?")]
    private static partial Regex ForeignKey();

    private sealed class Ceiling(PostgresDatabase server, string name) : CeilingDatabase
    {
        public override async Task<TimeSpan> LoadAsync(string directory) =>
            (await server.Psql(name, string.Concat(CeilingFiles.Tables.Select(t =>
                $"\\copy {t.Table} ({string.Join(", ", CeilingFiles.ColumnsFor(t.Table, postgres: true))}) FROM '{Path.Combine(directory, t.Table + ".csv")}' WITH (FORMAT csv)\n")))).Elapsed;

        public override async Task<(TimeSpan Elapsed, long Found)> LookUpKeysAsync(string keysFile)
        {
            var result = await server.Psql(name,
                "CREATE TEMP TABLE import_keys(key text NOT NULL);\n" +
                $"\\copy import_keys FROM '{keysFile}' WITH (FORMAT csv)\n" +
                "SELECT count(*) FROM import_keys k WHERE EXISTS (SELECT 1 FROM customers_contact_duplicate_keys d " +
                $"WHERE d.workspace_id = '{ContactSet.WorkspaceId}' AND d.key = k.key);\n");
            return (result.Elapsed, long.Parse(result.Output.Trim(), CultureInfo.InvariantCulture));
        }

        public override async Task<TimeSpan> ExportAsync() =>
            (await server.Psql(name, "\\copy (SELECT * FROM customers_contacts) TO '/dev/null' WITH (FORMAT csv, HEADER)\n")).Elapsed;

        public override async Task<TableCounts> CountsAsync() => ParseCounts((await server.Psql(name, CountsSql)).Output);

        public override Task DropAsync() => server.DropAsync(name);
    }

    private sealed class Rapport(PostgresDatabase server, string name) : RapportDatabase
    {
        public override IReadOnlyList<string> Settings => ["--Database:Provider=Postgres", $"--Database:ConnectionString={server.ConnectionString(name)}"];

        public override async Task ResetAsync() => await server.Psql("postgres", $"DROP DATABASE IF EXISTS {name} WITH (FORCE);\nCREATE DATABASE {name};");

        public override async Task<TableCounts> CountsAsync() => ParseCounts((await server.Psql(name, CountsSql)).Output);

        public override async Task LoadContactsAsync(string ceilingDirectory, Guid workspaceId, Guid userId)
        {
            var script = new System.Text.StringBuilder("BEGIN;\n");
            foreach (var table in LoadedTables)
            {
                var columns = LoadColumns(table, postgres: true, $"'{workspaceId}'::uuid", $"'{userId}'::uuid").ToList();
                var names = string.Join(", ", columns.Select(c => c.Column));
                script.Append(CultureInfo.InvariantCulture, $"CREATE TEMP TABLE load_{table} (LIKE {table}) ON COMMIT DROP;\n");
                script.Append(CultureInfo.InvariantCulture, $"\\copy load_{table} ({names}) FROM '{Path.Combine(ceilingDirectory, table + ".csv")}' WITH (FORMAT csv)\n");
                script.Append(CultureInfo.InvariantCulture, $"INSERT INTO {table} ({names}) SELECT {string.Join(", ", columns.Select(c => c.Value))} FROM load_{table};\n");
            }

            await server.Psql(name, script.Append("COMMIT;\nANALYZE ").AppendJoin(", ", LoadedTables).Append(";\n").ToString());
        }

        public override async Task<string> QueryAsync(string sql) => (await server.Psql(name, sql)).Output;

        public override DbConnection Connection() => new NpgsqlConnection(server.ConnectionString(name));

        /// <summary>The backends connected to this database (Rapport's pool keeps them for the run), from <c>/proc</c>.</summary>
        public override async Task<TimeSpan?> ServerCpuAsync()
        {
            var pids = (await server.Psql("postgres", $"SELECT pid FROM pg_stat_activity WHERE datname = '{name}';")).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture));
            return pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessMemory.CpuTimeOf(pid));
        }

        public override Task DropAsync() => server.DropAsync(name);
    }
}
