using System.Text.Json;
using FluentValidation;
using Rapport.Kernel;
using Rapport.Kernel.CustomFields;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// The writable fields of a deal. <c>currency</c> defaults to the workspace's base currency; <c>pipelineId</c> and
/// <c>stageId</c> to the first pipeline and its first open stage. A stage's required fields must have values for the deal
/// to enter it, and a lost stage needs a <c>lostReason</c> (a key of the pipeline's lost reasons). <c>forecastCategory</c>
/// (pipeline, bestCase, commit, omitted) puts an open deal in the forecast; null lets its stage's probability decide.
/// </summary>
public sealed record DealFields(
    string Name = "", decimal? Amount = null, string? Currency = null, DateOnly? CloseDate = null,
    Guid? PipelineId = null, Guid? StageId = null, string? LostReason = null,
    Guid? CompanyId = null, IReadOnlyList<DealContactFields>? Contacts = null, Guid? OwnerId = null, Guid? TeamId = null,
    string? NextStep = null, IReadOnlyList<string>? Competitors = null, IReadOnlyDictionary<string, JsonElement>? Custom = null,
    string? ForecastCategory = null);

/// <param name="Role">One of decision-maker, economic-buyer, champion, influencer, technical, user, other; or none.</param>
public sealed record DealContactFields(Guid ContactId, string? Role = null);

public sealed class DealFieldsValidator : AbstractValidator<DealFields>
{
    public DealFieldsValidator()
    {
        RuleFor(d => d.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the deal a name.")
            .Must(n => n.Trim().Length <= Deal.NameMaxLength).WithMessage($"At most {Deal.NameMaxLength} characters.");
        RuleFor(d => d.Amount).Must(a => a is null or >= 0 and <= Deal.MaxAmount)
            .WithMessage($"The amount is a number from 0 to {Deal.MaxAmount:N0}.")
            .Must(a => a is null || decimal.Round(a.Value, Money.StoredDecimals) == a).WithMessage($"At most {Money.StoredDecimals} decimals.");
        RuleFor(d => d.Currency).Must(c => Currencies.IsKnown(c?.Trim().ToUpperInvariant()))
            .WithMessage("Currency must be an ISO 4217 code, such as CNY, USD or EUR.");
        RuleFor(d => d.NextStep).MaximumLength(Deal.NextStepMaxLength);
        RuleFor(d => d.Competitors).Must(c => c is null || c.Count <= Deal.MaxCompetitors).WithMessage($"At most {Deal.MaxCompetitors} competitors.");
        RuleForEach(d => d.Competitors).MaximumLength(Deal.CompetitorMaxLength);
        RuleFor(d => d.Contacts).Must(c => c is null || c.Count <= Deal.MaxContacts).WithMessage($"At most {Deal.MaxContacts} contacts.")
            .Must(c => c is null || c.Select(x => x.ContactId).Distinct().Count() == c.Count).WithMessage("A contact appears twice.");
        RuleForEach(d => d.Contacts).Must(c => c.Role is null || DealContact.Roles.Contains(c.Role))
            .WithMessage($"A contact's role is one of: {string.Join(", ", DealContact.Roles)}.");
        RuleFor(d => d.LostReason).MaximumLength(Pipelines.LostReason.KeyMaxLength);
        RuleFor(d => d.ForecastCategory).Must(c => c is null || ForecastCategories.Settable.Contains(c))
            .WithMessage($"Forecast category must be one of: {string.Join(", ", ForecastCategories.Settable)} (or null to follow the stage).");
    }
}

/// <summary>
/// A deal as the API shows it. <c>probability</c> is its stage's; <c>status</c> is the stage's kind (open, won, lost);
/// <c>stageEnteredAt</c> is when it entered the stage it is in. <c>forecastCategory</c> is the one set on the deal or, when
/// <c>forecastCategorySet</c> is false, the one its stage's probability gives; a won deal is <c>closed</c>, a lost one <c>omitted</c>.
/// </summary>
public sealed record DealDto(
    Guid Id, string Name, decimal? Amount, string Currency, DateOnly? CloseDate, Guid PipelineId, Guid StageId, string Status, int Probability,
    DateTimeOffset StageEnteredAt, string? LostReason, Guid? CompanyId, IReadOnlyList<DealContactFields> Contacts, Guid? OwnerId, Guid? TeamId,
    string? NextStep, IReadOnlyList<string> Competitors, IReadOnlyDictionary<string, JsonElement> Custom,
    string ForecastCategory, bool ForecastCategorySet, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    /// <param name="probability">The probability of the deal's stage.</param>
    public static DealDto From(Deal d, int probability, CustomFieldSet? custom = null) => new(
        d.Id, d.Name, d.Amount, d.Currency, d.CloseDate, d.PipelineId, d.StageId, d.Status, probability,
        d.StageEnteredAt, d.LostReason, d.CompanyId, [.. d.Contacts.Select(c => new DealContactFields(c.ContactId, c.Role))], d.OwnerId, d.TeamId,
        d.NextStep, d.Competitors, custom?.ToApi(d.CustomFields) ?? new Dictionary<string, JsonElement>(),
        ForecastCategories.Of(d.Status, d.ForecastCategory, probability), d.ForecastCategory is not null, d.CreatedAt, d.UpdatedAt, d.DeletedAt, d.Version);

    public DealFields Fields => new(Name, Amount, Currency, CloseDate, PipelineId, StageId, LostReason, CompanyId, Contacts, OwnerId, TeamId,
        NextStep, Competitors, Custom, ForecastCategorySet ? ForecastCategory : null);
}

/// <summary>
/// Where a deal counts in the forecast. An open deal takes the category set on it, else the one its stage's probability gives
/// (commit from <see cref="CommitProbability"/> %, best case from <see cref="BestCaseProbability"/> %, else pipeline); a won
/// deal is closed and a lost one omitted, whatever was set.
/// </summary>
public static class ForecastCategories
{
    public const string Pipeline = "pipeline";
    public const string BestCase = "bestCase";
    public const string Commit = "commit";
    public const string Omitted = "omitted";
    public const string Closed = "closed";
    public const int CommitProbability = 70;
    public const int BestCaseProbability = 40;
    public const int MaxLength = 10;

    /// <summary>What a user may set on a deal.</summary>
    public static readonly IReadOnlyList<string> Settable = [Pipeline, BestCase, Commit, Omitted];

    public static string FromProbability(int probability) =>
        probability >= CommitProbability ? Commit : probability >= BestCaseProbability ? BestCase : Pipeline;

    public static string Of(string status, string? set, int probability) => status switch
    {
        StageKinds.Won => Closed,
        StageKinds.Lost => Omitted,
        _ => set ?? FromProbability(probability),
    };
}
