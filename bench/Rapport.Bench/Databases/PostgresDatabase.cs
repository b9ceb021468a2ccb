using System.Data.Common;
using System.Globalization;
using Npgsql;
using Rapport.Bench.Generator;
using Rapport.Bench.Server;

namespace Rapport.Bench.Databases;

/// <summary>
/// PostgreSQL through <c>psql</c>. The ceiling loads its files into a database Rapport itself migrated: the contact
/// tables as Rapport defines them — columns, primary keys, every index, the search entries' computed <c>tsvector</c> and
/// its GIN index, and the foreign keys, which PostgreSQL checks row by row as it does for Rapport's writes. So the rows
/// they point at are there before the timed load: the generator's workspace and member (in the template) and the
/// companies the files name (<see cref="Ceiling.LoadAsync"/>). Each run gets a fresh database made from that template.
/// </summary>
public sealed class PostgresDatabase(BenchOptions options) : BenchDatabase(options)
{
    private const string Template = "bench_ceiling_template";

    public override string Name => "postgres";

    public override async Task<string> VersionAsync() => "PostgreSQL " + (await Psql("postgres", "SHOW server_version;")).Output.Trim().Split(' ')[0];

    public override async Task PrepareAsync()
    {
        await Psql("postgres", $"DROP DATABASE IF EXISTS {Template} WITH (FORCE);\nCREATE DATABASE {Template};");
        await MigrateAsync(["--Database:Provider=Postgres", $"--Database:ConnectionString={ConnectionString(Template)}"]);
        var schema = (await Shell.RunAsync("pg_dump", [.. Connection(Template), "--schema-only", "--no-owner", .. ContactTables.Select(t => "--table=public." + t)])).Output;
        await File.WriteAllTextAsync(Path.Combine(Options.WorkDirectory, "ceiling-schema.postgres.sql"), schema);
        var (workspace, user) = (ContactSet.WorkspaceId, ContactSet.UserId);
        await Psql(Template,
            "INSERT INTO kernel_workspaces (id, name, time_zone, fiscal_year_start_month, base_currency, default_country, languages, require_two_factor, version, created_at) " +
            $"VALUES ('{workspace}', 'Bench', 'UTC', 1, 'USD', 'US', '{{en}}', false, 1, now());\n" +
            "INSERT INTO identity_users (id, email, normalized_email, display_name, password_hash, language, created_at, version, failed_sign_ins, security_stamp, two_factor_last_step, recovery_code_hashes) " +
            $"VALUES ('{user}', 'bench@rapport.local', 'BENCH@RAPPORT.LOCAL', 'Bench', '-', 'en', now(), 1, 0, '-', 0, '{{}}');\n" +
            $"INSERT INTO kernel_memberships (workspace_id, user_id, joined_at) VALUES ('{workspace}', '{user}', now());\n");
    }

    public override async Task<CeilingDatabase> NewCeilingAsync(string name)
    {
        await Psql("postgres", $"DROP DATABASE IF EXISTS {name} WITH (FORCE);\nCREATE DATABASE {name} TEMPLATE {Template};");
        return new Ceiling(this, name);
    }

    public override async Task<CeilingDatabase?> NewCeilingWithoutForeignKeysAsync(string name)
    {
        var ceiling = await NewCeilingAsync(name);
        await Psql(name, "DO $$ DECLARE k record; BEGIN\n" +
            "FOR k IN SELECT conrelid::regclass AS t, conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (" +
            string.Join(", ", ContactTables.Select(t => $"'{t}'")) + ")\n" +
            "LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k.t, k.conname); END LOOP; END $$;\n");
        return ceiling;
    }

    public override RapportDatabase NewRapport(string name) => new Rapport(this, name);

    private string ConnectionString(string database) =>
        $"Host={Options.PostgresHost};Port={Options.PostgresPort};Username={Options.PostgresUser};Database={database};Pooling=true";

    private string[] Connection(string database) =>
        ["-h", Options.PostgresHost, "-p", Options.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", Options.PostgresUser, "-d", database];

    private Task<Shell.Result> Psql(string database, string script) =>
        Shell.RunAsync("psql", [.. Connection(database), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], script);

    private Task DropAsync(string database) => Psql("postgres", $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");

    private sealed class Ceiling(PostgresDatabase server, string name) : CeilingDatabase
    {
        /// <summary>Untimed first: the companies the files link contacts to (a bare row each), and statistics of the tables the foreign keys point at.</summary>
        public override async Task<TimeSpan> LoadAsync(string directory)
        {
            await server.Psql(name,
                $"CREATE TEMP TABLE links (LIKE {CeilingFiles.ContactCompanies});\n" +
                $"\\copy links ({string.Join(", ", CeilingFiles.ColumnsFor(CeilingFiles.ContactCompanies, postgres: true))}) FROM '{Path.Combine(directory, CeilingFiles.ContactCompanies + ".csv")}' WITH (FORMAT csv)\n" +
                "INSERT INTO customers_companies (workspace_id, id, name, tags, version, created_at, updated_at) " +
                "SELECT DISTINCT workspace_id, company_id, company_id::text, '{}'::text[], 1, now(), now() FROM links;\n" +
                "ANALYZE kernel_workspaces, kernel_memberships, customers_companies;\n");
            return (await server.Psql(name, string.Concat(CeilingFiles.Tables.Select(t =>
                $"\\copy {t.Table} ({string.Join(", ", CeilingFiles.ColumnsFor(t.Table, postgres: true))}) FROM '{Path.Combine(directory, t.Table + ".csv")}' WITH (FORMAT csv)\n")))).Elapsed;
        }

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
