using System.Data.Common;
using System.Globalization;
using Rapport.Bench.Generator;

namespace Rapport.Bench.Databases;

/// <summary>
/// One database engine as the benchmark uses it: a copy of Rapport's contact tables for the ceiling (cloned from a database
/// Rapport itself migrated), loaded and read with the engine's own command-line tool; and fresh databases for Rapport.
/// </summary>
public abstract class BenchDatabase(BenchOptions options)
{
    /// <summary>The four contact tables (<see cref="CeilingFiles.Tables"/>), every index and the search index included.</summary>
    protected static readonly string[] ContactTables = [.. CeilingFiles.Tables.Select(t => t.Table)];

    protected BenchOptions Options => options;
    public abstract string Name { get; }

    public abstract Task<string> VersionAsync();

    /// <summary>Migrates a scratch database with Rapport.Web, then keeps a copy of its contact tables' definitions for the ceiling.</summary>
    public abstract Task PrepareAsync();

    public abstract Task<CeilingDatabase> NewCeilingAsync(string name);

    /// <summary>The same without foreign keys, for comparison; null where the ceiling checks none anyway (SQLite's shell).</summary>
    public virtual Task<CeilingDatabase?> NewCeilingWithoutForeignKeysAsync(string name) => Task.FromResult<CeilingDatabase?>(null);

    public abstract RapportDatabase NewRapport(string name);

    /// <summary>Runs Rapport.Web's <c>migrate</c> verb with these settings.</summary>
    protected async Task MigrateAsync(IEnumerable<string> settings) =>
        await Shell.RunAsync("dotnet", [Path.Combine(Options.WebDirectory, "Rapport.Web.dll"), "migrate", "--contentRoot", Options.WebDirectory, .. settings]);

    /// <summary>Counts what an import wrote in the contact tables (the check that the ceiling loads what Rapport writes).</summary>
    protected const string CountsSql =
        "SELECT (SELECT count(*) FROM customers_contacts), (SELECT count(*) FROM customers_contact_companies), " +
        "(SELECT count(*) FROM customers_contact_duplicate_keys), (SELECT count(*) FROM kernel_search_entries WHERE entity_type = 'contact'), " +
        "(SELECT coalesce(sum(length(text)), 0) FROM kernel_search_entries WHERE entity_type = 'contact');";

    protected static TableCounts ParseCounts(string line)
    {
        var values = line.Trim().Split([',', '|']).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new TableCounts(values[0], values[1], values[2], values[3], values[4]);
    }
}

/// <summary>Rows in the contact tables: contacts, company links, duplicate keys, search entries, and the characters of search text.</summary>
public sealed record TableCounts(long Contacts, long CompanyLinks, long DuplicateKeys, long SearchEntries, long SearchChars)
{
    public long Rows => Contacts + CompanyLinks + DuplicateKeys + SearchEntries;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Contacts} contacts, {CompanyLinks} company links, {DuplicateKeys} duplicate keys, {SearchEntries} search entries ({SearchChars} characters)");
}

/// <summary>A fresh copy of the contact tables, for one ceiling run.</summary>
public abstract class CeilingDatabase
{
    /// <summary>Loads the ceiling files of <paramref name="directory"/> (one per table) with the command-line tool; returns the time it took.</summary>
    public abstract Task<TimeSpan> LoadAsync(string directory);

    /// <summary>The raw form of an all-duplicates re-import: loads the file's keys into a temporary table and counts those the duplicate-key index holds.</summary>
    public abstract Task<(TimeSpan Elapsed, long Found)> LookUpKeysAsync(string keysFile);

    /// <summary>Every contact row as CSV, thrown away (<c>/dev/null</c>).</summary>
    public abstract Task<TimeSpan> ExportAsync();

    public abstract Task<TableCounts> CountsAsync();

    public abstract Task DropAsync();
}

/// <summary>A fresh database for one Rapport run.</summary>
public abstract class RapportDatabase
{
    /// <summary>Rapport.Web's settings for it.</summary>
    public abstract IReadOnlyList<string> Settings { get; }

    /// <summary>Makes it exist and empty (PostgreSQL: created up front, so Rapport's start-up migration finds it).</summary>
    public abstract Task ResetAsync();

    public abstract Task<TableCounts> CountsAsync();

    /// <summary>CPU time the database server's processes serving this database used so far (none for an embedded database).</summary>
    public virtual Task<TimeSpan?> ServerCpuAsync() => Task.FromResult<TimeSpan?>(null);

    public abstract Task DropAsync();

    /// <summary>
    /// Loads the generator's ceiling files (contacts, duplicate keys, search entries) into this database, which Rapport
    /// migrated and where <paramref name="workspaceId"/> signed up: through a temporary table per file, the rows given
    /// that workspace and that member as owner and author. The contacts carry no company (companies are not loaded).
    /// </summary>
    public abstract Task LoadContactsAsync(string ceilingDirectory, Guid workspaceId, Guid userId);

    /// <summary>Runs <paramref name="sql"/> with the database's command-line tool; returns its output (fields separated by <c>|</c>).</summary>
    public abstract Task<string> QueryAsync(string sql);

    /// <summary>The database file (SQLite), for the bare SQLite server.</summary>
    public virtual string? DatabaseFile => null;

    /// <summary>A new, unopened ADO.NET connection: the driver Rapport uses, for queries timed directly.</summary>
    public abstract DbConnection Connection();

    /// <summary>The id of the first workspace and of its first member (the benchmark's signed-up administrator).</summary>
    public async Task<(Guid Workspace, Guid User)> MemberAsync()
    {
        var fields = (await QueryAsync("SELECT workspace_id, user_id FROM kernel_memberships LIMIT 1;")).Trim().Split('|');
        return (Guid.Parse(fields[0]), Guid.Parse(fields[1]));
    }

    /// <summary>The columns a load takes from a ceiling file: the workspace and member replaced, no company, the rest as loaded.</summary>
    protected static IEnumerable<(string Column, string Value)> LoadColumns(string table, bool postgres, string workspace, string user) =>
        CeilingFiles.ColumnsFor(table, postgres).Where(c => c != "seq").Select(c => (c, c switch
        {
            "workspace_id" => workspace,
            "owner_id" or "created_by" or "updated_by" => user,
            "company_id" => "NULL",
            _ => c,
        }));

    /// <summary>The files <see cref="LoadContactsAsync"/> loads (the company links are left out with the companies).</summary>
    protected static readonly string[] LoadedTables = [CeilingFiles.Contacts, CeilingFiles.DuplicateKeys, CeilingFiles.SearchEntries];
}
