using FluentValidation.Results;
using Microsoft.AspNetCore.Http;

namespace Rapport.Kernel.Api;

public enum OutcomeKind { Ok, NotFound, Invalid, Stale, IfMatchRequired, Conflict, Forbidden }

/// <summary>
/// What a use case returns, to the API and to Blazor pages alike. The API turns it into a
/// response with <see cref="ToHttp"/>; pages show <see cref="Errors"/> next to their fields.
/// </summary>
public sealed class Outcome<T>
{
    private Outcome(OutcomeKind kind, T? value, IReadOnlyDictionary<string, string[]>? errors, string? detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        Kind = kind;
        Value = value;
        Errors = errors ?? new Dictionary<string, string[]>();
        Detail = detail;
        Extensions = extensions;
    }

    public OutcomeKind Kind { get; }
    public T? Value { get; }
    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public string? Detail { get; }
    /// <summary>Extra members of the problem (e.g. the records a conflict is about), for clients to act on.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; }
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null, null);
    public static Outcome<T> NotFound() => new(OutcomeKind.NotFound, default, null, null);
    public static Outcome<T> Stale() => new(OutcomeKind.Stale, default, null, null);
    public static Outcome<T> IfMatchRequired() => new(OutcomeKind.IfMatchRequired, default, null, null);
    public static Outcome<T> Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(OutcomeKind.Conflict, default, null, detail, extensions);
    public static Outcome<T> Forbidden(string detail) => new(OutcomeKind.Forbidden, default, null, detail);
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, default, errors, null);
    public static Outcome<T> Invalid(string field, string reason) => Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    /// <summary>Invalid fields with a sentence saying what to do about them all, and members clients can act on (e.g. <c>missingFields</c>).</summary>
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(OutcomeKind.Invalid, default, errors, detail, extensions);

    /// <summary>This refusal, unchanged, as the outcome of another use case step (a check's refusal becomes the endpoint's).</summary>
    public Outcome<TOther> As<TOther>() => IsOk
        ? throw new InvalidOperationException("Only a refusal can be passed on; map an Ok outcome's value instead.")
        : new Outcome<TOther>(Kind, default, Errors, Detail, Extensions);

    public static Outcome<T> Invalid(ValidationResult result) => Invalid(
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));

    public IResult ToHttp(string entity, Func<T, IResult> ok) => Kind switch
    {
        OutcomeKind.Ok => ok(Value!),
        OutcomeKind.NotFound => Problems.NotFoundProblem(entity),
        OutcomeKind.Invalid => Problems.Invalid(Errors.ToDictionary(), Detail, Extensions),
        OutcomeKind.Stale => Problems.Stale(),
        OutcomeKind.IfMatchRequired => Problems.IfMatchRequired(),
        OutcomeKind.Conflict => Problems.ConflictProblem(Detail ?? "The request conflicts with the current state.", Extensions),
        OutcomeKind.Forbidden => Problems.ForbiddenProblem(Detail ?? "Your roles do not allow this."),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };
}
