using FluentValidation;
using Rapport.Kernel;
using Rapport.Kernel.Filtering;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>
/// The writable fields of a contract. Started from an order (<c>orderId</c>: its deal, total and currency are the defaults) or a deal
/// (<c>dealId</c>: the deal's amount and currency). <c>reminderDays</c>: the renewal reminder falls due that many days before
/// <c>endDate</c>. <c>status</c> may be set to cancelled (or back to active); ended is set when the term is over.
/// </summary>
public sealed record ContractFields(
    string? Name = null, Guid? DealId = null, Guid? OrderId = null, DateOnly? StartDate = null, DateOnly? EndDate = null, decimal? Value = null,
    string? Currency = null, bool? AutoRenew = null, int? ReminderDays = null, string? Status = null);

public sealed class ContractFieldsValidator : AbstractValidator<ContractFields>
{
    public ContractFieldsValidator()
    {
        RuleFor(c => c.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the contract a name.")
            .Must(n => n is null || n.Trim().Length <= Contract.NameMaxLength).WithMessage($"At most {Contract.NameMaxLength} characters.");
        RuleFor(c => c.StartDate).NotNull().WithMessage("Give the start date.");
        RuleFor(c => c.EndDate).NotNull().WithMessage("Give the end date.")
            .Must((c, end) => end is null || c.StartDate is null || end >= c.StartDate).WithMessage("The end date is on or after the start date.");
        RuleFor(c => c.Value).NotNull().WithMessage("Give the contract's value.")
            .Must(v => v is null or >= 0 and <= Deals.Deal.MaxAmount).WithMessage($"The value is a number from 0 to {Deals.Deal.MaxAmount:N0}.")
            .Must(v => v is null || decimal.Round(v.Value, Money.StoredDecimals) == v).WithMessage($"At most {Money.StoredDecimals} decimals.");
        RuleFor(c => c.Currency).Must(c => Currencies.IsKnown(c?.Trim().ToUpperInvariant()))
            .WithMessage("Currency must be an ISO 4217 code, such as CNY, USD or EUR.");
        RuleFor(c => c.ReminderDays).InclusiveBetween(0, Contract.MaxReminderDays).When(c => c.ReminderDays is not null)
            .WithMessage($"Remind from 0 to {Contract.MaxReminderDays} days before the end.");
        RuleFor(c => c.Status).Must(s => s is null || ContractStatuses.All.Contains(s)).WithMessage($"The status is one of: {string.Join(", ", ContractStatuses.All)}.");
    }
}

/// <summary>
/// A contract as the API shows it. <c>reminderDueOn</c> is when the renewal reminder falls due; <c>reminderDue</c> is true once the
/// daily job has marked it (<c>remindedAt</c>) for the current term.
/// </summary>
public sealed record ContractDto(
    Guid Id, string Name, Guid DealId, Guid? OrderId, DateOnly StartDate, DateOnly EndDate, decimal Value, string Currency, bool AutoRenew,
    int? ReminderDays, DateOnly? ReminderDueOn, DateTimeOffset? RemindedAt, bool ReminderDue, string Status, int Renewals, Guid? OwnerId, Guid? TeamId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static ContractDto From(Contract c) => new(
        c.Id, c.Name, c.DealId, c.OrderId, c.StartDate, c.EndDate, c.Value, c.Currency, c.AutoRenew, c.ReminderDays, c.ReminderDueOn, c.RemindedAt,
        c.RemindedAt is not null && c.Status == ContractStatuses.Active, c.Status, c.Renewals, c.OwnerId, c.TeamId, c.CreatedAt, c.UpdatedAt, c.DeletedAt, c.Version);
}

public static class ContractCatalog
{
    public static readonly FieldCatalog<Contract> Fields = new FieldCatalog<Contract>()
        .Id("id", c => c.Id)
        .Text("name", c => c.Name)
        .Id("dealId", c => c.DealId)
        .Id("orderId", c => c.OrderId)
        .Date("startDate", c => c.StartDate)
        .Date("endDate", c => c.EndDate)
        .Number("value", c => c.Value)
        .Text("currency", c => c.Currency)
        .Boolean("autoRenew", c => c.AutoRenew)
        .Date("reminderDueOn", c => c.ReminderDueOn)
        .Instant("remindedAt", c => c.RemindedAt)
        .Text("status", c => c.Status)
        .Id("ownerId", c => c.OwnerId)
        .Id("teamId", c => c.TeamId)
        .Instant("createdAt", c => c.CreatedAt)
        .Instant("updatedAt", c => c.UpdatedAt)
        .Instant("deletedAt", c => c.DeletedAt);
}
