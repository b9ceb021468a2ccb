using FluentValidation;
using Rapport.Kernel;

namespace Rapport.Modules.Sales.Currency;

/// <summary>The body of <c>POST /exchange-rates</c>: one unit of <c>currency</c> is worth <c>rate</c> units of the base currency from <c>effectiveFrom</c> on.</summary>
public sealed record ExchangeRateFields(string Currency, decimal? Rate, DateOnly? EffectiveFrom);

public sealed record ExchangeRateDto(
    Guid Id, string Currency, string BaseCurrency, decimal Rate, DateOnly EffectiveFrom, DateTimeOffset CreatedAt, int Version)
{
    public static ExchangeRateDto From(ExchangeRate r) => new(r.Id, r.Currency, r.BaseCurrency, r.Rate, r.EffectiveFrom, r.CreatedAt, r.Version);
}

public sealed class ExchangeRateFieldsValidator : AbstractValidator<ExchangeRateFields>
{
    public ExchangeRateFieldsValidator(string baseCurrency)
    {
        RuleFor(r => r.Currency).Must(c => Currencies.IsKnown(c?.Trim().ToUpperInvariant()))
            .WithMessage("Currency must be an ISO 4217 code, such as USD or JPY.")
            .Must(c => c?.Trim().ToUpperInvariant() != baseCurrency)
            .WithMessage($"{baseCurrency} is the workspace's base currency: its rate is always 1.");
        RuleFor(r => r.Rate).NotNull().WithMessage("Rate is required.")
            .GreaterThan(0m).WithMessage("Rate must be greater than 0.")
            .LessThanOrEqualTo(ExchangeRate.MaxRate).WithMessage("Rate must be at most 1,000,000,000.")
            .Must(r => r is null || decimal.Round(r.Value, ExchangeRate.RateDecimals) == r.Value)
            .WithMessage($"Rate has at most {ExchangeRate.RateDecimals} decimals.");
        RuleFor(r => r.EffectiveFrom).NotNull().WithMessage("Effective from (a date, yyyy-MM-dd) is required.");
    }
}
