using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Rapport.Bench.Generator;

namespace Rapport.Bench.Databases;

/// <summary>
/// SQLite through the <c>sqlite3</c> command-line shell. The ceiling's tables come from <c>.schema</c> of a database Rapport
/// migrated (each table with its indexes and the search index's FTS5 table and triggers), in a file with Rapport's pragmas
/// (WAL, <c>synchronous=FULL</c>). The shell leaves foreign keys unchecked: its <c>.import</c> writes an empty cell as an
/// empty string, never NULL, which a checked key would refuse (a contact without a company). So, unlike PostgreSQL's, this
/// ceiling skips the key checks Rapport's writes pay: the stricter of the two.
/// </summary>
public sealed class SqliteDatabase(BenchOptions options) : BenchDatabase(options)
{
    private const string Pragmas = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n";
    private string Root => Path.Combine(Options.WorkDirectory, "sqlite");
    private string Template => Path.Combine(Root, "ceiling-template.db");

    public override string Name => "sqlite";

    public override async Task<string> VersionAsync() => "sqlite3 " + (await Shell.VersionAsync("sqlite3", "--version"))?.Split(' ')[0];

    public override async Task PrepareAsync()
    {
        Directory.CreateDirectory(Root);
        var scratch = Path.Combine(Root, "schema");
        await MigrateAsync([$"--Rapport:DataDirectory={scratch}"]);
        var schema = (await Sqlite(Path.Combine(scratch, "rapport.db"), string.Concat(ContactTables.Append("kernel_search_fts").Select(t => $".schema {t}\n")))).Output;
        await File.WriteAllTextAsync(Path.Combine(Options.WorkDirectory, "ceiling-schema.sqlite.sql"), schema);
        File.Delete(Template);
        await Sqlite(Template, Pragmas + schema);
        foreach (var (table, columns) in CeilingFiles.Tables)
        {
            var actual = (await Sqlite(Template, $"SELECT group_concat(name, ',') FROM pragma_table_info('{table}');")).Output.Trim();
            if (actual != string.Join(',', columns))
            {
                throw new InvalidOperationException($"Rapport's {table} has the columns {actual}; the ceiling files are written for {string.Join(',', columns)}.");
            }
        }
    }

    public override Task<CeilingDatabase> NewCeilingAsync(string name)
    {
        var file = Path.Combine(Root, name + ".db");
        File.Copy(Template, file, overwrite: true);
        return Task.FromResult<CeilingDatabase>(new Ceiling(file));
    }

    public override RapportDatabase NewRapport(string name) => new Rapport(Path.Combine(Root, name));

    private static Task<Shell.Result> Sqlite(string file, string script) => Shell.RunAsync("sqlite3", ["-bail", "-batch", file], script);

    private static void Delete(string file)
    {
        foreach (var path in (string[])[file, file + "-wal", file + "-shm"])
        {
            File.Delete(path);
        }
    }

    private sealed class Ceiling(string file) : CeilingDatabase
    {
        public override async Task<TimeSpan> LoadAsync(string directory) =>
            (await Sqlite(file, Pragmas + string.Concat(CeilingFiles.Tables.Select(t => $".import --csv '{Path.Combine(directory, t.Table + ".csv")}' {t.Table}\n")))).Elapsed;

        public override async Task<(TimeSpan Elapsed, long Found)> LookUpKeysAsync(string keysFile)
        {
            var result = await Sqlite(file,
                "CREATE TEMP TABLE import_keys(key TEXT NOT NULL);\n" +
                $".import --csv '{keysFile}' import_keys\n" +
                "SELECT count(*) FROM import_keys k WHERE EXISTS (SELECT 1 FROM customers_contact_duplicate_keys d " +
                $"WHERE d.workspace_id = '{ContactSet.WorkspaceId.ToString().ToUpperInvariant()}' AND d.key = k.key);\n");
            return (result.Elapsed, long.Parse(result.Output.Trim(), CultureInfo.InvariantCulture));
        }

        public override async Task<TimeSpan> ExportAsync() =>
            (await Sqlite(file, ".headers on\n.mode csv\n.output /dev/null\nSELECT * FROM customers_contacts;\n")).Elapsed;

        public override async Task<TableCounts> CountsAsync() => ParseCounts((await Sqlite(file, CountsSql)).Output);

        public override Task DropAsync()
        {
            Delete(file);
            return Task.CompletedTask;
        }
    }

    private sealed class Rapport(string directory) : RapportDatabase
    {
        public override string DatabaseFile => Path.Combine(directory, "rapport.db");

        public override IReadOnlyList<string> Settings => ["--Database:Provider=Sqlite", $"--Rapport:DataDirectory={directory}"];

        /// <summary>
        /// <c>.import</c> reads an empty cell as an empty string: the temporary table keeps them, and the insert turns them
        /// into NULL in the columns that allow it (Rapport reads NULL there: no deletion date, no birthday).
        /// </summary>
        public override async Task LoadContactsAsync(string ceilingDirectory, Guid workspaceId, Guid userId)
        {
            var (workspace, user) = ($"'{workspaceId.ToString().ToUpperInvariant()}'", $"'{userId.ToString().ToUpperInvariant()}'");
            var script = new System.Text.StringBuilder(Pragmas);
            var inserts = new System.Text.StringBuilder("BEGIN;\n");
            foreach (var table in LoadedTables)
            {
                var nullable = (await QueryAsync($"SELECT name FROM pragma_table_info('{table}') WHERE \"notnull\" = 0;")).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                var columns = LoadColumns(table, postgres: false, workspace, user).ToList();
                script.Append(CultureInfo.InvariantCulture, $"CREATE TEMP TABLE load_{table} AS SELECT * FROM {table} WHERE 0;\n");
                script.Append(CultureInfo.InvariantCulture, $".import --csv '{Path.Combine(ceilingDirectory, table + ".csv")}' load_{table}\n");
                var values = columns.Select(c => c.Value == c.Column && nullable.Contains(c.Column) ? $"NULLIF({c.Column}, '')" : c.Value);
                inserts.Append(CultureInfo.InvariantCulture,
                    $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Column))}) SELECT {string.Join(", ", values)} FROM load_{table};\n");
            }

            await Sqlite(DatabaseFile, script.Append(inserts).Append("COMMIT;\n").ToString());
        }

        public override async Task<string> QueryAsync(string sql) => (await Sqlite(DatabaseFile, sql)).Output;

        public override DbConnection Connection() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());

        public override async Task<TableCounts> CountsAsync() => ParseCounts((await Sqlite(Path.Combine(directory, "rapport.db"), CountsSql)).Output);

        public override async Task ResetAsync()
        {
            await DropAsync();
            Directory.CreateDirectory(directory);
        }

        public override Task DropAsync()
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return Task.CompletedTask;
        }
    }
}
