using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// What a module offers the import engine for one entity type; register with <c>services.AddImportTarget&lt;T&gt;(entityType)</c>.
/// Writes go through the entity's own use cases, so rights, field rights, validation, audit and search apply as for the API.
/// </summary>
public interface IImportTarget
{
    /// <summary>The key used when the caller names none (<c>email</c> for contacts, <c>domain</c> for companies).</summary>
    string DefaultKey { get; }

    /// <summary>What a column can be mapped to, with the names (English and Chinese) a header may use for it; custom fields included.</summary>
    Task<IReadOnlyList<ImportFieldInfo>> FieldsAsync(RapportDbContext db, CancellationToken ct);

    /// <summary>The fields rows may be matched to existing records by (built-in keys and unique custom fields).</summary>
    Task<IReadOnlyList<string>> KeysAsync(RapportDbContext db, CancellationToken ct);

    /// <summary>The fields a row's value of <paramref name="key"/> is read from (one of them must be mapped to update by it).</summary>
    IReadOnlyList<string> KeyFields(string key);

    /// <summary>A row's value of <paramref name="key"/> as stored (lower-cased email, E.164 phone…), or null when it has none.</summary>
    string? KeyOf(ImportScope scope, ImportRow row);

    /// <summary>The records already holding these key values (of any owner: a key names one record in the workspace).</summary>
    Task<IReadOnlyDictionary<string, Guid>> FindAsync(ImportScope scope, IReadOnlyCollection<string> keyValues, CancellationToken ct);

    /// <summary>
    /// Creates (<paramref name="id"/> null) or updates one record from the row, or says why it cannot. An update is saved
    /// at once; a create is saved at once when <see cref="ImportScope.SaveEachRow"/>, else it stays in the context for
    /// the batch's one save (<see cref="ImportWrites.CreateAsync{TWrite}"/> does either).
    /// </summary>
    Task<ImportWrite> WriteAsync(ImportScope scope, Guid? id, ImportRow row, CancellationToken ct);

    /// <summary>Reads what the batch's rows will look up, in one go (the companies they name, for instance), before its rows are written.</summary>
    Task PrepareAsync(ImportScope scope, IReadOnlyList<ImportRow> rows, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Whether a create writes nothing until the batch's save (every create goes through <see cref="ImportWrites.CreateAsync{TWrite}"/>,
    /// and records a row names are looked up or created there too, remembered with <see cref="ImportScope.Created"/>). Then
    /// a create-only import checks its next batch while the database writes this one (<see cref="ImportJob"/>).
    /// </summary>
    bool CreatesWaitForTheBatch => false;

    /// <summary>Removes a record the import created, or puts back the fields an update changed; false when someone changed it since.</summary>
    Task<bool> UndoAsync(ImportScope scope, ImportRecord record, CancellationToken ct);
}

/// <summary>A data row of the file: its line, the mapped cells by field key (blank cells left out), and all cells as read.</summary>
public sealed record ImportRow(long RowNumber, IReadOnlyDictionary<string, string> Values, IReadOnlyList<string?> Cells)
{
    public string? this[string field] => Values.GetValueOrDefault(field);
}

/// <summary>The outcome of writing one row: the record and its new version, its fields before an update (for undo), or the error.</summary>
public sealed record ImportWrite(Guid Id, int Version, string? Before, string? Error)
{
    public static ImportWrite Refused(string error) => new(Guid.Empty, 0, null, error);
}

/// <summary>The services of one batch (one transaction), acting as the importing member, and the key rows are matched by.</summary>
public sealed class ImportScope(IServiceProvider services, string key, string defaultCountry, CustomFieldSet custom, bool saveEachRow = true,
    IReadOnlyDictionary<string, Guid>? createdByThePreviousBatch = null)
{
    /// <summary>Whether each created record is saved on its own (a batch done again row by row) rather than with the batch.</summary>
    public bool SaveEachRow => saveEachRow;

    /// <summary>The custom fields of the imported entity type.</summary>
    public CustomFieldSet Custom => custom;
    public IServiceProvider Services => services;
    public RapportDbContext Db { get; } = services.GetRequiredService<RapportDbContext>();
    public string Key => key;
    /// <summary>The workspace's country, for phone numbers written without a country code.</summary>
    public string DefaultCountry => defaultCountry;
    /// <summary>
    /// Lookups a target may keep for the batch (companies by name, for instance). When the batch is checked while the
    /// previous one is still being written, it starts with what that batch created (<see cref="Created"/>), which the
    /// database does not show yet.
    /// </summary>
    public Dictionary<string, Guid> Cache { get; } = createdByThePreviousBatch is null
        ? new(StringComparer.OrdinalIgnoreCase)
        : new(createdByThePreviousBatch, StringComparer.OrdinalIgnoreCase);

    /// <summary>The lookups of <see cref="Cache"/> this batch answered by creating the record (saved with the batch).</summary>
    public Dictionary<string, Guid> Created { get; } = new(StringComparer.OrdinalIgnoreCase);

    public T Get<T>() where T : notnull => services.GetRequiredService<T>();
}

public static class ImportTargetRegistration
{
    public static IServiceCollection AddImportTarget<T>(this IServiceCollection services, string entityType) where T : class, IImportTarget
    {
        var targets = (ImportTargets?)services.FirstOrDefault(d => d.ServiceType == typeof(ImportTargets))?.ImplementationInstance;
        if (targets is null)
        {
            services.AddSingleton(targets = new ImportTargets());
        }

        targets.Add(entityType);
        return services.AddKeyedScoped<IImportTarget, T>(entityType);
    }
}

public static class ImportWrites
{
    /// <summary>
    /// A create that passed its use case's checks: saved now when the scope saves each row, else put into the context for
    /// the batch's save. With <paramref name="recordOnly"/> (for a write that adds its record and nothing else), the record
    /// waits for the batch's save outside the change tracker (<see cref="RapportDbContext.AddUntracked"/>), which costs
    /// a fraction of tracking it.
    /// </summary>
    public static async Task<ImportWrite> CreateAsync<TWrite>(ImportScope scope, Api.Outcome<TWrite> check, CancellationToken ct, bool recordOnly = false)
        where TWrite : CheckedWrite<TWrite>
    {
        if (!check.IsOk)
        {
            return ImportWrite.Refused(ImportOutcomes.Reason(check));
        }

        var write = check.Value!;
        if (!scope.SaveEachRow)
        {
            if (recordOnly)
            {
                scope.Db.AddUntracked(write.Record);
            }
            else
            {
                write.Apply();
            }

            return new ImportWrite(write.Record.Id, 1, null, null);
        }

        var saved = await write.SaveAsync(ct);
        return saved.IsOk ? new ImportWrite(write.Record.Id, write.Record.Version, null, null) : ImportWrite.Refused(ImportOutcomes.Reason(saved));
    }
}

public static class ImportOutcomes
{
    /// <summary>Why a use case refused a row, in one line for the error file.</summary>
    public static string Reason<T>(Api.Outcome<T> outcome) => outcome.Kind switch
    {
        Api.OutcomeKind.Invalid => string.Join(" ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        Api.OutcomeKind.NotFound => "The record does not exist or you may not change it.",
        Api.OutcomeKind.Stale => "The record was changed by someone else meanwhile.",
        _ => outcome.Detail ?? outcome.Kind.ToString(),
    };
}
