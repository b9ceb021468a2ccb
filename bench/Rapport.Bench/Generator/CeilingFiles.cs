using System.Globalization;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Bench.Generator;

/// <summary>A valid row of the import file as Rapport stores it.</summary>
internal sealed record CeilingContact(
    Guid Id, DateTimeOffset CreatedAt, string First, string Last, List<string> Emails, List<string> Phones, List<string> PhonesAsTyped,
    string? JobTitle, Guid? CompanyId, string CustomJson);

/// <summary>
/// The ceiling's files for one database, one per table in the column order of <see cref="Tables"/>: values in that
/// database's text forms (SQLite: upper-case Guid text, JSON arrays, UTC ticks; PostgreSQL: uuid, array literals, timestamptz).
/// </summary>
internal sealed class CeilingFiles : IDisposable
{
    public const string Contacts = "customers_contacts";
    public const string ContactCompanies = "customers_contact_companies";
    public const string DuplicateKeys = "customers_contact_duplicate_keys";
    public const string SearchEntries = "kernel_search_entries";

    /// <summary>The tables the ceiling loads, in load order, with the columns of their files.</summary>
    public static readonly IReadOnlyList<(string Table, string[] Columns)> Tables =
    [
        (Contacts, ["workspace_id", "id", "first_name", "last_name", "emails", "phones", "phones_as_typed", "job_title", "birthday", "company_id",
            "owner_id", "team_id", "lifecycle_stage", "source", "preferred_language", "tags", "version", "created_at", "created_by", "updated_at",
            "updated_by", "deleted_at", "deleted_by", "custom_fields", "merged_into_id", "city", "country", "postal_code", "region", "street"]),
        (ContactCompanies, ["workspace_id", "contact_id", "company_id"]),
        (DuplicateKeys, ["workspace_id", "contact_id", "key"]),
        (SearchEntries, ["seq", "workspace_id", "entity_type", "record_id", "field", "text"]),
    ];

    /// <summary>PostgreSQL keys search entries on their natural key: no <c>seq</c> column (and <c>document</c> is computed).</summary>
    public static string[] ColumnsFor(string table, bool postgres) =>
        [.. Tables.Single(t => t.Table == table).Columns.Where(c => !(postgres && c == "seq"))];

    private readonly bool _postgres;
    private readonly Dictionary<string, CsvOut> _files;
    private long _seq;

    public CeilingFiles(string directory, bool postgres)
    {
        Directory.CreateDirectory(directory);
        _postgres = postgres;
        _files = Tables.ToDictionary(t => t.Table, t => new CsvOut(Path.Combine(directory, t.Table + ".csv")));
    }

    public IReadOnlyDictionary<string, long> Rows => _files.ToDictionary(f => f.Key, f => f.Value.Rows);

    public void Add(CeilingContact c)
    {
        var (workspace, user, id, created) = (Id(ContactSet.WorkspaceId), Id(ContactSet.UserId), Id(c.Id), Instant(c.CreatedAt));
        _files[Contacts].Row(
            workspace, id, c.First, c.Last, Array(c.Emails), Array(c.Phones), Array(c.PhonesAsTyped), c.JobTitle, null, Id(c.CompanyId),
            user, null, null, null, null, Array([]), "1", created, user, created,
            user, null, null, c.CustomJson, null, null, null, null, null, null);
        if (c.CompanyId is { } company)
        {
            _files[ContactCompanies].Row(workspace, id, Id(company));
        }

        foreach (var key in ContactDuplicateKey.KeysOf(c.Emails, c.Phones, NameKeys.Person(c.First, c.Last), c.CompanyId is { } k ? [k] : []).Order(StringComparer.Ordinal))
        {
            _files[DuplicateKeys].Row(workspace, id, key);
        }

        // The fields ContactSearch declares, built the way SearchIndexing builds them (phones are E.164: no country needed).
        (string Field, string Text)[] entries =
        [
            ("name", SearchText.Build(SearchFieldKind.Text, [ContactDto.NameOf(c.First, c.Last, familyFirst: false)])),
            ("emails", SearchText.Build(SearchFieldKind.Email, c.Emails)),
            ("phones", SearchText.Build(SearchFieldKind.Phone, c.Phones)),
            ("jobTitle", SearchText.Build(SearchFieldKind.Text, [c.JobTitle])),
        ];
        foreach (var (field, text) in entries.Where(e => e.Text.Length > 0))
        {
            var entry = _files[SearchEntries];
            if (!_postgres)
            {
                entry.Field((++_seq).ToString(CultureInfo.InvariantCulture));
            }

            entry.Row(workspace, "contact", id, field, text);
        }
    }

    private string? Id(Guid? id) => id is not { } value ? null : _postgres ? value.ToString() : value.ToString().ToUpperInvariant();

    private string Instant(DateTimeOffset at) =>
        _postgres ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff+00", CultureInfo.InvariantCulture) : at.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private string Array(IReadOnlyList<string> items) =>
        _postgres ? "{" + string.Join(',', items.Select(i => "\"" + i.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}"
            : ContactSet.ArrayJson(items);

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }
    }
}
