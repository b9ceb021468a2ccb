using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Rapport.Kernel.CustomFields;

/// <summary>
/// Database functions reading a custom field out of a record's JSON column, so filters and sorts run in the
/// database and expression indexes can serve them. SQLite: <c>json_extract(custom_fields, '$.key')</c>;
/// PostgreSQL: <c>jsonb_extract_path_text(custom_fields, 'key')</c>, and for numbers and yes/no small immutable
/// functions that return null for a value of another type instead of failing (keys are per workspace, so two
/// workspaces may give the same key different types). The key is always a constant in the SQL (it is checked
/// against <see cref="CustomField.IsValidKey"/>), which is what lets the database match the expression index.
/// </summary>
public static class CustomFieldSql
{
    public const string Column = "custom_fields";

    public static string? Text(string json, string path) => throw new InvalidOperationException("Runs in the database only.");
    public static double? Number(string json, string path) => throw new InvalidOperationException("Runs in the database only.");
    public static bool? YesNo(string json, string path) => throw new InvalidOperationException("Runs in the database only.");
    public static bool HasOption(string json, string path, string option) => throw new InvalidOperationException("Runs in the database only.");

    /// <summary>The path argument for a key: <c>$.key</c> on SQLite, the bare key on PostgreSQL.</summary>
    public static string Path(bool sqlite, string key) =>
        CustomField.IsValidKey(key) ? sqlite ? "$." + key : key : throw new ArgumentException("Not a custom field key.", nameof(key));

    internal static void Register(ModelBuilder modelBuilder, bool sqlite)
    {
        var type = typeof(CustomFieldSql);
        modelBuilder.HasDbFunction(type.GetMethod(nameof(Text))!).HasName(sqlite ? "json_extract" : "jsonb_extract_path_text").IsBuiltIn();
        modelBuilder.HasDbFunction(type.GetMethod(nameof(Number))!).HasName(sqlite ? "json_extract" : "rapport_cf_number").IsBuiltIn();
        modelBuilder.HasDbFunction(type.GetMethod(nameof(YesNo))!).HasName(sqlite ? "json_extract" : "rapport_cf_yesno").IsBuiltIn();
        modelBuilder.HasDbFunction(type.GetMethod(nameof(HasOption))!).HasName("rapport_cf_has").IsBuiltIn();
    }

    /// <summary>PostgreSQL functions the migration creates (immutable, so expression indexes may use them).</summary>
    public const string PostgresFunctions = """
        CREATE OR REPLACE FUNCTION rapport_cf_number(doc jsonb, key text) RETURNS double precision
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT CASE WHEN jsonb_typeof(doc -> key) = 'number' THEN (doc ->> key)::double precision END $$;
        CREATE OR REPLACE FUNCTION rapport_cf_yesno(doc jsonb, key text) RETURNS boolean
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT CASE WHEN jsonb_typeof(doc -> key) = 'boolean' THEN (doc ->> key)::boolean END $$;
        CREATE OR REPLACE FUNCTION rapport_cf_has(doc jsonb, key text, option text) RETURNS boolean
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT coalesce(jsonb_typeof(doc -> key) = 'array' AND (doc -> key) ? option, false) $$;
        """;

    public const string PostgresDropFunctions = """
        DROP FUNCTION IF EXISTS rapport_cf_number(jsonb, text);
        DROP FUNCTION IF EXISTS rapport_cf_yesno(jsonb, text);
        DROP FUNCTION IF EXISTS rapport_cf_has(jsonb, text, text);
        """;

    /// <summary>SQLite has no stored functions: the multi-select test is registered on each connection.</summary>
    internal static void RegisterSqliteFunctions(SqliteConnection connection) =>
        connection.CreateFunction<string?, string, string, bool>("rapport_cf_has", HasOptionInMemory, isDeterministic: true);

    private static bool HasOptionInMemory(string? json, string path, string option)
    {
        if (json is null)
        {
            return false;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty(path[2..], out var values) && values.ValueKind == JsonValueKind.Array
            && values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == option);
    }

    /// <summary>
    /// The SQL expression a field is sorted and filtered by, exactly as the queries above produce it, for its index:
    /// an index only serves a query whose expression is the same.
    /// </summary>
    internal static string IndexExpression(bool sqlite, CustomField field) => !CustomField.IsValidKey(field.Key)
        ? throw new ArgumentException("Not a custom field key; it never reaches SQL.", nameof(field))
        : (sqlite, CustomFieldKinds.IsNumeric(field.Type), field.Type == CustomFieldType.YesNo) switch
    {
        (true, _, _) => $"json_extract({Column}, '$.{field.Key}')",
        (false, true, _) => $"rapport_cf_number({Column}, '{field.Key}')",
        (false, _, true) => $"rapport_cf_yesno({Column}, '{field.Key}')",
        _ => $"jsonb_extract_path_text({Column}, '{field.Key}')",
    };

    /// <summary>Sortable fields get (workspace, is-null, value, id): the order lists use (nulls last, then the id).</summary>
    internal static string SortIndexName(string table, CustomField field) => $"ix_cf_{table}_{Hash(field.Key + "/" + Kind(field))}";

    /// <summary>Unique fields get a partial unique index for their workspace only: other workspaces may reuse the key freely.</summary>
    internal static string UniqueIndexName(string table, CustomField field) => $"ux_cf_{table}_{Hash(field.Key + "/" + Kind(field) + "/" + field.WorkspaceId.ToString("N"))}";

    /// <summary>Index names stay short (PostgreSQL keeps 63 characters) and tell keys apart that differ only in case.</summary>
    private static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    private static string Kind(CustomField field) =>
        CustomFieldKinds.IsNumeric(field.Type) ? "n" : field.Type == CustomFieldType.YesNo ? "b" : "t";

    internal static string CreateSortIndex(bool sqlite, string table, CustomField field)
    {
        var expression = IndexExpression(sqlite, field);
        return $"CREATE INDEX IF NOT EXISTS {SortIndexName(table, field)} ON {table} (workspace_id, ({expression} IS NULL), {expression}, id)";
    }

    internal static string CreateUniqueIndex(bool sqlite, string table, CustomField field)
    {
        var expression = IndexExpression(sqlite, field);
        var workspace = sqlite
            ? $"'{field.WorkspaceId.ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant()}'"
            : $"'{field.WorkspaceId:D}'::uuid";
        return $"CREATE UNIQUE INDEX IF NOT EXISTS {UniqueIndexName(table, field)} ON {table} (workspace_id, ({expression})) " +
               $"WHERE workspace_id = {workspace} AND deleted_at IS NULL AND {expression} IS NOT NULL";
    }

    internal static string DropIndex(string name) => $"DROP INDEX IF EXISTS {name}";

    /// <summary>
    /// PostgreSQL keeps statistics on an expression only for an index or a statistics object naming it. Without them it
    /// guesses that half a percent of rows match a filter on the field, and may read a whole table to sort a few rows
    /// (a filtered list's deep page did). Shared, like the sort index, by the workspaces using the key and kind.
    /// </summary>
    internal static string StatisticsName(string table, CustomField field) => $"st_cf_{table}_{Hash(field.Key + "/" + Kind(field))}";

    internal static string CreateStatistics(string table, CustomField field) =>
        $"CREATE STATISTICS IF NOT EXISTS {StatisticsName(table, field)} ON ({IndexExpression(false, field)}) FROM {table}";

    internal static string DropStatistics(string name) => $"DROP STATISTICS IF EXISTS {name}";
}
