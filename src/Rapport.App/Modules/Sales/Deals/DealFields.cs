using System.Text.Json;
using FluentValidation;
using Rapport.Kernel;
using Rapport.Kernel.CustomFields;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// The writable fields of a deal. <c>currency</c> defaults to the workspace's base currency; <c>pipelineId</c> and
/// <c>stageId</c> to the first pipeline and its first open stage. A stage's required fields must have values for the deal
/// to enter it, and a lost stage needs a <c>lostReason</c> (a key of the pipeline's lost reasons).
/// </summary>
public sealed record DealFields(
    string Name = "", decimal? Amount = null, string? Currency = null, DateOnly? CloseDate = null,
    Guid? PipelineId = null, Guid? StageId = null, string? LostReason = null,
    Guid? CompanyId = null, IReadOnlyList<DealContactFields>? Contacts = null, Guid? OwnerId = null, Guid? TeamId = null,
    string? NextStep = null, IReadOnlyList<string>? Competitors = null, IReadOnlyDictionary<string, JsonElement>? Custom = null);

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
    }
}

/// <summary>
/// A deal as the API shows it. <c>probability</c> is its stage's; <c>status</c> is the stage's kind (open, won, lost);
/// <c>stageEnteredAt</c> is when it entered the stage it is in.
/// </summary>
public sealed record DealDto(
    Guid Id, string Name, decimal? Amount, string Currency, DateOnly? CloseDate, Guid PipelineId, Guid StageId, string Status, int Probability,
    DateTimeOffset StageEnteredAt, string? LostReason, Guid? CompanyId, IReadOnlyList<DealContactFields> Contacts, Guid? OwnerId, Guid? TeamId,
    string? NextStep, IReadOnlyList<string> Competitors, IReadOnlyDictionary<string, JsonElement> Custom,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    /// <param name="probability">The probability of the deal's stage.</param>
    public static DealDto From(Deal d, int probability, CustomFieldSet? custom = null) => new(
        d.Id, d.Name, d.Amount, d.Currency, d.CloseDate, d.PipelineId, d.StageId, d.Status, probability,
        d.StageEnteredAt, d.LostReason, d.CompanyId, [.. d.Contacts.Select(c => new DealContactFields(c.ContactId, c.Role))], d.OwnerId, d.TeamId,
        d.NextStep, d.Competitors, custom?.ToApi(d.CustomFields) ?? new Dictionary<string, JsonElement>(),
        d.CreatedAt, d.UpdatedAt, d.DeletedAt, d.Version);

    public DealFields Fields => new(Name, Amount, Currency, CloseDate, PipelineId, StageId, LostReason, CompanyId, Contacts, OwnerId, TeamId,
        NextStep, Competitors, Custom);
}
