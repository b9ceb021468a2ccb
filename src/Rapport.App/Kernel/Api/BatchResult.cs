using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rapport.Kernel.Api;

/// <summary>
/// Up to <see cref="MaxItems"/> records to create or change at once. An item is the body of the single create
/// (<c>POST</c>); with <c>id</c> (and optionally <c>version</c>, checked like If-Match) it is a merge patch of that record.
/// </summary>
/// <param name="AllowDuplicates">As <c>allowDuplicate=true</c> on the single create and update, for every item.</param>
public sealed record BatchRequest(IReadOnlyList<JsonElement>? Items, bool AllowDuplicates = false)
{
    public const int MaxItems = 1000;
}

public static class BatchStatus
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Failed = "failed";
}

/// <summary>
/// What became of one item. A failed one says why as the single endpoint would: <c>problem</c> is <c>invalid</c>
/// (with field <c>errors</c>), <c>forbidden</c>, <c>notFound</c> or <c>conflict</c> (a duplicate, listed like the
/// single endpoint's problem, or a stale <c>version</c>), with a sentence in <c>detail</c>.
/// </summary>
public sealed record BatchItemResult(
    int Index,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Further members of the refusal, as in the single endpoint's problem (e.g. <c>duplicates</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? More { get; init; }

    public static BatchItemResult Failed<T>(int index, Outcome<T> refusal) => new(index, BatchStatus.Failed,
        Problem: refusal.Kind switch
        {
            OutcomeKind.Invalid => "invalid",
            OutcomeKind.Forbidden => "forbidden",
            OutcomeKind.NotFound => "notFound",
            _ => "conflict",
        },
        Detail: refusal.Kind switch
        {
            OutcomeKind.Invalid => "The item has invalid fields.",
            OutcomeKind.NotFound => "No record with this id exists in your workspace.",
            OutcomeKind.Stale => "The record changed since the version you sent. Read it again, then repeat your change.",
            _ => refusal.Detail ?? refusal.Kind.ToString(),
        },
        Errors: refusal.Kind == OutcomeKind.Invalid ? refusal.Errors : null)
    {
        More = refusal.Extensions?.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!),
    };
}

/// <summary>One result per item, in the order of the items, and how many were created, updated and refused.</summary>
public sealed record BatchResult(IReadOnlyList<BatchItemResult> Results, int Created, int Updated, int Failed);
