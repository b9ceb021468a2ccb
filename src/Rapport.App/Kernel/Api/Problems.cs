using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rapport.Kernel.Api;

/// <summary>Stable problem types (RFC 9457) and the helpers that build them.</summary>
public static class Problems
{
    private const string Base = "https://rapport.dev/problems/";
    public const string Validation = Base + "validation";
    public const string NotFound = Base + "not-found";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string PreconditionRequired = Base + "precondition-required";
    public const string Conflict = Base + "conflict";
    /// <summary>A 404 for a record merged into another: the body's <c>mergedIntoId</c> and <c>location</c> point at the survivor.</summary>
    public const string Merged = Base + "merged";
    public const string IdempotencyInProgress = Base + "idempotency-in-progress";
    public const string IdempotencyMismatch = Base + "idempotency-key-reused";
    public const string BadFilter = Base + "invalid-filter";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string Server = Base + "server-error";

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null, IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        TypedResults.ValidationProblem(errors, detail ?? "The request has invalid fields.", type: Validation, title: "Invalid request", extensions: extensions);

    public static ValidationProblem Invalid(string field, string reason) => Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    public static ProblemHttpResult NotFoundProblem(string entity) =>
        TypedResults.Problem($"No {entity} with this id exists in your workspace.", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: NotFound);

    public static ProblemHttpResult Stale() =>
        TypedResults.Problem("The record changed since you read it. Read it again, then repeat your change.",
            statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed", type: PreconditionFailed);

    public static ProblemHttpResult IfMatchRequired() =>
        TypedResults.Problem("Send the record's ETag in an If-Match header.",
            statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required", type: PreconditionRequired);

    public static ProblemHttpResult ForbiddenProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", type: Forbidden);

    public static ProblemHttpResult ConflictProblem(string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: Conflict, extensions: extensions);

    /// <summary>The record was merged into <paramref name="survivorId"/>; its own id answers 404 with a pointer (301 would make clients follow it silently).</summary>
    public static ProblemHttpResult MergedProblem(string entity, Guid survivorId, string location) =>
        TypedResults.Problem($"This {entity} was merged into another one: {survivorId}.", statusCode: StatusCodes.Status404NotFound, title: "Merged",
            type: Merged, extensions: new Dictionary<string, object?> { ["mergedIntoId"] = survivorId, ["location"] = location });
}
