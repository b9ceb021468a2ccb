using System.Text.Json;
using Rapport.Kernel.Api;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// A merge: <see cref="SurvivorId"/> stays; each of <see cref="MergedIds"/> (1–9) moves its related records to it and
/// becomes a tombstone. <see cref="Fields"/> picks, per field, the record whose value survives; <see cref="Preview"/>
/// answers the survivor as it would become without changing anything.
/// </summary>
public sealed record MergeRequest(
    Guid SurvivorId, IReadOnlyList<Guid> MergedIds, IReadOnlyDictionary<string, Guid>? Fields = null, bool AllowDuplicate = false, bool Preview = false);

public sealed record MergeResult<T>(T Survivor, IReadOnlyList<Guid> MergedIds, bool Preview);

/// <summary>
/// One field a merge can take from any of the records. A plain field takes the picked record's value. A list
/// (<see cref="Unite"/>) unites every record's values, the picked record's first (so its first email stays the
/// primary one). Custom fields plug in as more entries of an entity's catalog.
/// </summary>
/// <param name="Read">The value as compared for field security and for "is it empty".</param>
/// <param name="Take">Copies the field from the second argument into the first.</param>
/// <param name="Unite">For lists: the field built from all records, in order of preference.</param>
public sealed record MergeField<TFields>(
    string Name, Func<TFields, object?> Read, Func<TFields, TFields, TFields> Take, Func<TFields, IReadOnlyList<TFields>, TFields>? Unite = null);

/// <summary>The steps every merge shares, whatever the record type.</summary>
internal static class RecordMerge
{
    public const int MaxMerged = 9;

    public static Dictionary<string, string[]> Check<TFields>(MergeRequest request, IReadOnlyList<MergeField<TFields>> catalog)
    {
        var errors = new Dictionary<string, string[]>();
        var merged = request.MergedIds ?? [];
        if (merged.Count is < 1 or > MaxMerged)
        {
            errors["mergedIds"] = [$"Merge 1 to {MaxMerged} records into the survivor."];
        }
        else if (merged.Contains(request.SurvivorId))
        {
            errors["mergedIds"] = ["A record cannot be merged into itself."];
        }
        else if (merged.Distinct().Count() != merged.Count)
        {
            errors["mergedIds"] = ["Each record is merged once."];
        }

        foreach (var (field, source) in request.Fields ?? new Dictionary<string, Guid>())
        {
            if (catalog.All(f => f.Name != field))
            {
                errors[$"fields.{field}"] = [$"Unknown field. Fields: {string.Join(", ", catalog.Select(f => f.Name))}."];
            }
            else if (source != request.SurvivorId && !merged.Contains(source))
            {
                errors[$"fields.{field}"] = ["Pick the value of the survivor or of one of the merged records."];
            }
        }

        return errors;
    }

    /// <summary>
    /// Loads a record of the merge for <paramref name="action"/> (update for the survivor, delete for the others): 404 when
    /// it is not there or not readable, 403 when the action is not allowed, 409 when it is in the trash or already merged.
    /// </summary>
    public static async Task<(T? Record, Outcome<TResult>? Refusal)> LoadAsync<T, TResult>(
        IQueryable<T> withTrash, IAccessControl access, string entity, Guid id, AccessAction action, CancellationToken ct)
        where T : BusinessRecord, IOwnedRecord, IMergedRecord
    {
        var (record, refusal) = await RecordAccess.LoadForAsync<T, TResult>(withTrash, access, entity, id, action, ct);
        return record is { IsDeleted: true }
            ? (null, Outcome<TResult>.Conflict(record.MergedIntoId is { } survivor
                ? $"The {entity} {id} was already merged into {survivor}."
                : $"The {entity} {id} is in the trash; restore it before merging."))
            : (record, refusal);
    }

    /// <summary>
    /// The survivor's fields after the merge. Unpicked plain fields keep the survivor's value, or the first merged
    /// record's when the survivor has none. A field the caller may not edit keeps the survivor's value: picking
    /// another record's differing value for it is refused (one cannot choose what one cannot read or change).
    /// </summary>
    public static (TFields Fields, IReadOnlyList<string> Forbidden) Combine<TFields>(
        IReadOnlyList<MergeField<TFields>> catalog, IReadOnlyList<(Guid Id, TFields Fields)> records, IReadOnlyDictionary<string, Guid>? picks, FieldPolicy policy)
        where TFields : class
    {
        var survivor = records[0].Fields;
        var result = survivor;
        var forbidden = new List<string>();
        foreach (var field in catalog)
        {
            var picked = picks?.TryGetValue(field.Name, out var id) == true ? records.First(r => r.Id == id).Fields : null;
            if (!policy.CanEdit(field.Name))
            {
                if (picked is not null && !Same(field.Read(picked), field.Read(survivor)))
                {
                    forbidden.Add(field.Name);
                }

                continue;
            }

            var ordered = picked is null ? records.Select(r => r.Fields).ToList() : [picked, .. records.Select(r => r.Fields).Where(f => !ReferenceEquals(f, picked))];
            result = field.Unite is { } unite
                ? unite(result, ordered)
                : field.Take(result, picked ?? ordered.FirstOrDefault(f => !IsEmpty(field.Read(f))) ?? survivor);
        }

        return (result, forbidden);
    }

    public static string Refusal(IReadOnlyList<string> fields) =>
        $"Your roles do not allow you to choose the value of: {string.Join(", ", fields)}. The survivor keeps its own.";

    /// <summary>Every registered participant moves its rows from each merged record to the survivor; saved after each record, inside the merge's transaction.</summary>
    public static async Task MoveRelatedAsync(
        RapportDbContext db, IEnumerable<IRecordMergeParticipant> participants, string entity, IReadOnlyList<Guid> mergedIds, Guid survivorId, CancellationToken ct)
    {
        foreach (var mergedId in mergedIds)
        {
            foreach (var participant in participants)
            {
                await participant.MoveAsync(db, entity, mergedId, survivorId, ct);
            }

            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>The merge job's own audit entry, on the survivor, beside the field-level entries of every record it changed.</summary>
    public static void Audit(RapportDbContext db, string entity, MergeRequest request) =>
        db.AddJobAudit(AuditActions.Merge, entity, request.SurvivorId, new Dictionary<string, object?>
        {
            ["mergedIds"] = request.MergedIds,
            ["fields"] = request.Fields ?? new Dictionary<string, Guid>(),
        });

    /// <summary>A custom field as a merge field: <c>custom.key</c>, taking the picked record's value (or clearing it when that one has none).</summary>
    public static MergeField<TFields> CustomField<TFields>(
        string key, Func<TFields, IReadOnlyDictionary<string, JsonElement>?> read, Func<TFields, IReadOnlyDictionary<string, JsonElement>, TFields> write)
    {
        JsonElement? Value(TFields f) => read(f)?.TryGetValue(key, out var v) == true && v.ValueKind != JsonValueKind.Null ? v : null;
        return new(CustomFieldSet.Prefix + key, f => Value(f), (t, s) => write(t, new Dictionary<string, JsonElement>(read(t) ?? new Dictionary<string, JsonElement>())
        {
            [key] = Value(s) ?? JsonSerializer.SerializeToElement<object?>(null),
        }));
    }

    private static bool Same(object? a, object? b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => string.IsNullOrWhiteSpace(s),
        System.Collections.IEnumerable list => !list.GetEnumerator().MoveNext(),
        _ => false,
    };
}
