using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Bulk;

public enum BulkAction { Update, AssignOwner, AddTags, RemoveTags, Delete }

/// <summary>One action on many records of a list.</summary>
/// <param name="Field">For <c>update</c>: the field to set (its API name, e.g. <c>lifecycleStage</c> or <c>address.city</c>).</param>
/// <param name="Value">For <c>update</c>: the value to set it to (null clears it).</param>
/// <param name="OwnerId">For <c>assignOwner</c>: the member who becomes the owner.</param>
/// <param name="Tags">For <c>addTags</c> / <c>removeTags</c>.</param>
public sealed record BulkRequest(
    IReadOnlyList<Guid> Ids, BulkAction Action, string? Field = null, JsonElement? Value = null, Guid? OwnerId = null, IReadOnlyList<string>? Tags = null)
{
    public const int MaxIds = 1000;
}

public sealed record BulkSkip(Guid Id, string Reason);

/// <summary>Which records the action was applied to and which were skipped, with the reason.</summary>
public sealed record BulkResult(IReadOnlyList<Guid> Succeeded, IReadOnlyList<BulkSkip> Skipped);

/// <summary>
/// Runs a bulk action record by record through the entity's own update and delete handlers, so
/// record rights, field rights, validation, audit and versioning apply to each exactly as to a single
/// change. Each record is saved in its own transaction: a record is either fully changed or untouched,
/// and a refusal for one never undoes another. One audit entry for the whole job lists the records changed.
/// </summary>
public static class BulkActions
{
    public const string AuditAction = "bulk";

    /// <summary>Field errors of the request itself (before any record is touched).</summary>
    public static Dictionary<string, string[]> Check(BulkRequest request, IReadOnlyCollection<string> updatableFields)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Ids is not { Count: > 0 and <= BulkRequest.MaxIds })
        {
            errors["ids"] = [$"Send 1 to {BulkRequest.MaxIds} ids."];
        }

        switch (request.Action)
        {
            case BulkAction.Update when request.Field is null || !updatableFields.Contains(request.Field):
                errors["field"] = [$"field must be one of: {string.Join(", ", updatableFields)}."];
                break;
            case BulkAction.AssignOwner when request.OwnerId is null:
                errors["ownerId"] = ["assignOwner needs the ownerId of a member (to clear owners, update the field ownerId to null)."];
                break;
            case BulkAction.AddTags or BulkAction.RemoveTags when request.Tags is not { Count: > 0 } || request.Tags.Any(string.IsNullOrWhiteSpace):
                errors["tags"] = ["Send one or more tags."];
                break;
            default:
                break;
        }

        return errors;
    }

    /// <summary>What a bulk run needs to know before touching records: which ids the caller can read and which the action reaches.</summary>
    public sealed record Plan(IReadOnlySet<Guid> Readable, IReadOnlySet<Guid> Reachable, string UnreachableReason);

    /// <summary>
    /// Checks the request, refuses it as a whole when the caller's roles give no level at all for the action
    /// (mass update, or delete) or the field it changes is hidden or read-only for them, and finds which ids they
    /// can read and reach (two queries, whatever the number of ids).
    /// </summary>
    public static async Task<Outcome<Plan>> PlanAsync<T>(
        IQueryable<T> records, IAccessControl access, string entity, BulkRequest request, IReadOnlyCollection<string> updatableFields, CancellationToken ct)
        where T : WorkspaceEntity, IOwnedRecord
    {
        if (Check(request, updatableFields) is { Count: > 0 } errors)
        {
            return Outcome<Plan>.Invalid(errors);
        }

        var action = request.Action == BulkAction.Delete ? AccessAction.Delete : AccessAction.MassUpdate;
        if (await access.LevelAsync(entity, action, ct) == AccessLevel.None)
        {
            return Outcome<Plan>.Forbidden(action == AccessAction.Delete
                ? $"Your roles do not allow you to delete {entity} records."
                : $"Your roles do not allow mass updates of {entity} records.");
        }

        if (FieldOf(request) is { } field && !(await access.FieldsAsync(entity, ct)).CanEdit(field))
        {
            return Outcome<Plan>.Forbidden($"Your roles do not allow you to change: {field}.");
        }

        var ids = request.Ids.Distinct().ToList();
        var readable = (await (await access.ScopeAsync(records, entity, AccessAction.Read, ct)).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        if (action == AccessAction.Delete)
        {
            // The delete handler checks the delete right per record and says why.
            return Outcome<Plan>.Ok(new Plan(readable, readable, ""));
        }

        var reachable = (await (await access.ScopeAsync(records, entity, action, ct)).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        return Outcome<Plan>.Ok(new Plan(readable, reachable, $"Your roles do not allow mass updates of this {entity}."));
    }

    /// <summary>The field a request changes, for field-level rights (none for delete).</summary>
    public static string? FieldOf(BulkRequest request) => request.Action switch
    {
        BulkAction.Update => request.Field,
        BulkAction.AssignOwner => "ownerId",
        BulkAction.AddTags or BulkAction.RemoveTags => "tags",
        _ => null,
    };

    public static IReadOnlyList<string> AddTags(IReadOnlyList<string>? current, IReadOnlyList<string> tags) =>
        [.. (current ?? []).Concat(tags.Select(t => t.Trim())).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static IReadOnlyList<string> RemoveTags(IReadOnlyList<string>? current, IReadOnlyList<string> tags) =>
        [.. (current ?? []).Where(t => !tags.Any(r => string.Equals(r.Trim(), t, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Why one record was skipped, in words for the person who asked.</summary>
    public static string Reason<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => "Not found.",
        OutcomeKind.Stale => "Someone changed it meanwhile; try again.",
        OutcomeKind.Invalid => string.Join(" ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        _ => outcome.Detail ?? outcome.Kind.ToString(),
    };

    /// <summary>
    /// Applies <paramref name="apply"/> (null: done, else why not) to each id of the plan: ids the caller cannot read
    /// are skipped as not found, ids the action does not reach with the plan's reason. The change tracker is cleared
    /// after each record, so a refused record leaves nothing behind for the next one to save.
    /// </summary>
    public static async Task<BulkResult> RunAsync(
        RapportDbContext db, ICurrentUser user, TimeProvider clock, string entity, BulkRequest request, Plan plan,
        Func<Guid, Task<string?>> apply, CancellationToken ct)
    {
        var succeeded = new List<Guid>();
        var skipped = new List<BulkSkip>();
        foreach (var id in request.Ids.Distinct())
        {
            var reason = !plan.Readable.Contains(id) ? "Not found."
                : !plan.Reachable.Contains(id) ? plan.UnreachableReason
                : await apply(id);
            db.ChangeTracker.Clear();
            if (reason is null)
            {
                succeeded.Add(id);
            }
            else
            {
                skipped.Add(new BulkSkip(id, reason));
            }
        }

        if (succeeded.Count > 0)
        {
            var job = new { action = JsonNamingPolicy.CamelCase.ConvertName(request.Action.ToString()), field = FieldOf(request), records = succeeded, skipped = skipped.Count };
            db.AuditEntries.Add(AuditEntry.Create(clock.GetUtcNow(), user.UserId, AuditAction, entity, Ids.NewV7(),
                JsonSerializer.Serialize(job), Activity.Current?.TraceId.ToHexString()));
            await db.SaveChangesAsync(ct);
        }

        return new BulkResult(succeeded, skipped);
    }
}
