using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel;
using Rapport.Kernel.Audit;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class ExchangeRateTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A workspace whose base currency is CNY.</summary>
    private static async Task<Tenant> CnyWorkspaceAsync(RapportFactory factory)
    {
        var tenant = await factory.SignUpAsync();
        await SetBaseCurrencyAsync(tenant, "CNY");
        return tenant;
    }

    private static async Task SetBaseCurrencyAsync(Tenant tenant, string currency)
    {
        var etag = (await tenant.Client.GetAsync("/api/v1/workspace", Ct)).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PatchJsonAsync("/api/v1/workspace", new { baseCurrency = currency }, etag)).StatusCode);
    }

    private static async Task<Guid> RateAsync(Tenant tenant, string currency, decimal rate, string effectiveFrom)
    {
        var response = await tenant.Client.PostJsonAsync("/api/v1/exchange-rates", new { currency, rate, effectiveFrom });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> ConvertAsync(Tenant tenant, decimal amount, string from, string to, string on) =>
        tenant.Client.GetAsync(FormattableString.Invariant($"/api/v1/exchange-rates/convert?amount={amount}&from={from}&to={to}&on={on}"), Ct);

    private static async Task<decimal> ConvertedAsync(Tenant tenant, decimal amount, string from, string to, string on)
    {
        var response = await ConvertAsync(tenant, amount, from, to, on);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["converted"]!.GetValue<decimal>();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Rates_are_validated_with_field_errors(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await CnyWorkspaceAsync(factory);
        await RateAsync(tenant, "usd", 7.1234m, "2026-01-01");

        async Task<string> ErrorAsync(object body, string field) =>
            (await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/exchange-rates", body)))[field]![0]!.GetValue<string>();

        Assert.Contains("ISO 4217", await ErrorAsync(new { currency = "XYZ", rate = 1m, effectiveFrom = "2026-01-01" }, "currency"), StringComparison.Ordinal);
        Assert.Contains("base currency", await ErrorAsync(new { currency = "CNY", rate = 1m, effectiveFrom = "2026-01-01" }, "currency"), StringComparison.Ordinal);
        Assert.Equal("Rate must be greater than 0.", await ErrorAsync(new { currency = "EUR", rate = 0m, effectiveFrom = "2026-01-01" }, "rate"));
        Assert.Equal("Rate must be greater than 0.", await ErrorAsync(new { currency = "EUR", rate = -7m, effectiveFrom = "2026-01-01" }, "rate"));
        Assert.Contains("10 decimals", await ErrorAsync(new { currency = "EUR", rate = 0.00000000001m, effectiveFrom = "2026-01-01" }, "rate"), StringComparison.Ordinal);
        Assert.Equal("Rate is required.", await ErrorAsync(new { currency = "EUR", effectiveFrom = "2026-01-01" }, "rate"));
        Assert.Contains("required", await ErrorAsync(new { currency = "EUR", rate = 7m }, "effectiveFrom"), StringComparison.Ordinal);
        Assert.NotNull(await ErrorAsync(new { currency = "EUR", rate = 7m, effectiveFrom = "1st of May" }, "effectiveFrom"));
        Assert.Contains("already has a rate", await ErrorAsync(new { currency = "USD", rate = 7.2m, effectiveFrom = "2026-01-01" }, "effectiveFrom"), StringComparison.Ordinal);

        var list = (await (await tenant.Client.GetAsync("/api/v1/exchange-rates", Ct)).JsonAsync())["data"]!.AsArray();
        var only = Assert.Single(list)!;
        Assert.Equal("USD", only["currency"]!.GetValue<string>());
        Assert.Equal("CNY", only["baseCurrency"]!.GetValue<string>());
        Assert.Equal(7.1234m, only["rate"]!.GetValue<decimal>());
        Assert.Equal("2026-01-01", only["effectiveFrom"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Conversion_uses_the_rate_in_force_that_day_and_rounds_half_away_from_zero(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await CnyWorkspaceAsync(factory);
        await RateAsync(tenant, "USD", 7.0m, "2026-01-01");
        var march = await RateAsync(tenant, "USD", 7.2m, "2026-03-01");
        await RateAsync(tenant, "JPY", 0.05m, "2026-01-01");
        await RateAsync(tenant, "HKD", 0.9m, "2026-01-01");

        Assert.Equal(700.00m, await ConvertedAsync(tenant, 100m, "USD", "CNY", "2026-01-01"));
        Assert.Equal(700.00m, await ConvertedAsync(tenant, 100m, "USD", "CNY", "2026-02-28"));
        Assert.Equal(720.00m, await ConvertedAsync(tenant, 100m, "USD", "CNY", "2026-03-01"));
        Assert.Equal(720.00m, await ConvertedAsync(tenant, 100m, "USD", "CNY", "2027-06-30"));
        // Into the currency: divide by its rate; across two currencies: through the base, rounded once.
        Assert.Equal(2000m, await ConvertedAsync(tenant, 100m, "CNY", "JPY", "2026-01-15"));
        Assert.Equal(144m, await ConvertedAsync(tenant, 1m, "USD", "JPY", "2026-03-15"));
        Assert.Equal(0.01m, await ConvertedAsync(tenant, 1m, "JPY", "USD", "2026-03-15"));
        // Half away from zero, where banker's rounding would go down: 0.225 → 0.23, 2.5 JPY → 3, 12.345 → 12.35.
        Assert.Equal(0.23m, await ConvertedAsync(tenant, 0.25m, "HKD", "CNY", "2026-01-15"));
        Assert.Equal(-0.23m, await ConvertedAsync(tenant, -0.25m, "HKD", "CNY", "2026-01-15"));
        Assert.Equal(3m, await ConvertedAsync(tenant, 0.125m, "CNY", "JPY", "2026-01-15"));
        Assert.Equal(12.35m, await ConvertedAsync(tenant, 12.345m, "CNY", "CNY", "2026-01-15"));

        var early = await ConvertAsync(tenant, 100m, "USD", "CNY", "2025-12-31");
        var error = (await CatalogApi.ErrorsAsync(early))["from"]![0]!.GetValue<string>();
        Assert.Equal("No exchange rate from USD to the base currency CNY is effective on 2025-12-31. " +
                     "Add one effective on or before that day (Settings → Exchange rates).", error);
        Assert.Contains("EUR", (await CatalogApi.ErrorsAsync(await ConvertAsync(tenant, 1m, "CNY", "EUR", "2026-01-15")))["to"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Deleting the March rate brings back the January one from March on.
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await tenant.Client.DeleteAsync($"/api/v1/exchange-rates/{march}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/exchange-rates/{march}", "\"1\"")).StatusCode);
        Assert.Equal(700.00m, await ConvertedAsync(tenant, 100m, "USD", "CNY", "2026-03-15"));
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.DeleteAsync($"/api/v1/exchange-rates/{march}", "*")).StatusCode);

        // Rates entered against CNY mean nothing once the base currency is EUR.
        await SetBaseCurrencyAsync(tenant, "EUR");
        Assert.Contains("base currency EUR", (await CatalogApi.ErrorsAsync(await ConvertAsync(tenant, 1m, "USD", "EUR", "2026-03-15")))["from"]![0]!.GetValue<string>(),
            StringComparison.Ordinal);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(["create", "delete"], await db.Set<AuditEntry>().Where(a => a.EntityId == march).OrderBy(a => a.At).Select(a => a.Action).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_converter_service_converts_at_today_by_default_and_names_the_missing_rate(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await CnyWorkspaceAsync(factory);
        await RateAsync(tenant, "USD", 7.0m, "2020-01-01");
        await RateAsync(tenant, "USD", 9.0m, "2999-01-01");
        await RateAsync(tenant, "EUR", 8.0m, "2026-01-01");

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out _);
        var converter = scope.ServiceProvider.GetRequiredService<ICurrencyConverter>();
        Assert.Equal(new Money(70.00m, "CNY"), await converter.ConvertAsync(new Money(10m, "USD"), "CNY", null, Ct));
        Assert.Equal(new Money(11.43m, "USD"), await converter.ConvertAsync(new Money(10m, "EUR"), "USD", new DateOnly(2026, 1, 1), Ct));

        var missing = await Assert.ThrowsAsync<MissingExchangeRateException>(() => converter.ConvertAsync(new Money(1m, "EUR"), "CNY", new DateOnly(2025, 12, 31), Ct));
        Assert.Equal(("EUR", "CNY", new DateOnly(2025, 12, 31)), (missing.Currency, missing.BaseCurrency, missing.On));

        var table = await converter.RatesAsync(["USD", "EUR", "JPY"], Ct);
        Assert.Equal(7.0m, table.RateOn("USD", new DateOnly(2998, 12, 31)));
        Assert.Equal(9.0m, table.RateOn("USD", new DateOnly(2999, 1, 1)));
        Assert.Null(table.RateOn("JPY", new DateOnly(2026, 1, 1)));
    }
}
