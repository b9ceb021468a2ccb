using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Mail;
using Rapport.Modules.Sales.Orders;
using Rapport.Modules.Sales.Quotes;
using Rapport.Modules.Sales.SalesContracts;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Quotes on deals through the API: totals from the server arithmetic, prices from the price book, revisions, status rules, accept → order, contracts.</summary>
public sealed class QuoteTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Currency, object[] Lines, decimal Subtotal, decimal Tax, decimal Total)[] TotalCases =
    [
        // currency, lines, subtotal, tax, total
        ("USD", [new { description = "Half a cent", quantity = 1m, unitPrice = 0.125m }], 0.13m, 0m, 0.13m),
        ("JPY", [new { description = "Yen", quantity = 1m, unitPrice = 2.5m }, new { description = "Yen", quantity = 3m, unitPrice = 333.5m, taxRatePercent = 10m }], 1004m, 100m, 1104m),
        ("JPY", [new { description = "A", quantity = 1m, unitPrice = 5m, taxRatePercent = 10m }, new { description = "B", quantity = 1m, unitPrice = 5m, taxRatePercent = 10m }], 10m, 2m, 12m),
        ("EUR", [new { description = "Seats", quantity = 7m, unitPrice = 99.99m, discountPercent = 12.75m, taxRatePercent = 19m }], 610.69m, 116.03m, 726.72m),
        ("USD", [new { description = "Widgets", quantity = 2m, unitPrice = 50m, discountPercent = 10m, taxRatePercent = 10m },
                 new { description = "Cent", quantity = 1m, unitPrice = 0.125m },
                 new { description = "Gadgets", quantity = 3m, unitPrice = 19.99m, taxRatePercent = 7.25m }], 150.10m, 13.35m, 163.45m),
        ("CNY", [new { description = "服务", quantity = 2m, unitPrice = 10.005m, taxRatePercent = 13m }], 20.01m, 2.60m, 22.61m),
    ];

    /// <summary>Each case on each database.</summary>
    public static TheoryData<string, int> Totals
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var provider in new[] { TestDatabases.Sqlite, TestDatabases.Postgres })
            {
                for (var i = 0; i < TotalCases.Length; i++)
                {
                    data.Add(provider, i);
                }
            }

            return data;
        }
    }

    private static async Task<(Guid Id, JsonNode Body, string ETag)> CreateQuoteAsync(HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/quotes", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var json = await response.JsonAsync();
        return (Guid.Parse(json["id"]!.GetValue<string>()), json, response.Headers.ETag!.Tag);
    }

    [Theory, MemberData(nameof(Totals))]
    public async Task Quote_totals_are_computed_on_the_server_rounding_half_away_from_zero(string provider, int index)
    {
        var (currency, lines, subtotal, tax, total) = TotalCases[index];
        var admin = await hosts.For(provider).SignUpAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Totals", amount = 1, currency });
        var (id, quote, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines });
        Assert.Equal(currency, quote["currency"]!.GetValue<string>()); // the deal's currency by default
        Assert.Equal((subtotal, tax, total), (quote["subtotal"]!.GetValue<decimal>(), quote["tax"]!.GetValue<decimal>(), quote["total"]!.GetValue<decimal>()));
        Assert.Equal(subtotal, quote["lines"]!.AsArray().Sum(l => l!["net"]!.GetValue<decimal>()));
        var stored = await admin.Client.GetJsonAsync($"/api/v1/quotes/{id}");
        Assert.Equal(total, stored["total"]!.GetValue<decimal>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_product_line_takes_its_price_from_the_price_book_in_the_quote_currency(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (product, _) = await admin.Client.CreateProductAsync(new { sku = "SEAT", name = "Seat licence" });
        var (standard, _) = await admin.Client.CreatePriceBookAsync(new { name = "Standard", currency = "USD" });
        var (partner, _) = await admin.Client.CreatePriceBookAsync(new { name = "Partner", currency = "USD", isDefault = false });
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PutJsonAsync($"/api/v1/price-books/{standard}/prices/{product}", new { unitPrice = 12.5m })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PutJsonAsync($"/api/v1/price-books/{standard}/prices/{product}", new { unitPrice = 1500m, currency = "JPY" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PutJsonAsync($"/api/v1/price-books/{partner}/prices/{product}", new { unitPrice = 9m })).StatusCode);
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Priced", currency = "USD" });

        var (_, usd, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines = new[] { new { productId = product, quantity = 2m } } });
        var line = usd["lines"]![0]!;
        Assert.Equal(("Seat licence", 12.5m, 25m), (line["description"]!.GetValue<string>(), line["unitPrice"]!.GetValue<decimal>(), line["net"]!.GetValue<decimal>()));

        var (_, jpy, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, currency = "jpy", lines = new[] { new { productId = product, quantity = 3m } } });
        Assert.Equal(("JPY", 1500m, 4500m), (jpy["currency"]!.GetValue<string>(), jpy["lines"]![0]!["unitPrice"]!.GetValue<decimal>(), jpy["total"]!.GetValue<decimal>()));

        var (_, fromPartner, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, priceBookId = partner, lines = new[] { new { productId = product, quantity = 1m } } });
        Assert.Equal(9m, fromPartner["lines"]![0]!["unitPrice"]!.GetValue<decimal>());

        // A price given by hand wins; a currency the book has no price in is a field error saying what to add.
        var (_, byHand, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines = new[] { new { productId = product, quantity = 1m, unitPrice = 11m } } });
        Assert.Equal(11m, byHand["lines"]![0]!["unitPrice"]!.GetValue<decimal>());
        var missing = await CatalogApi.ErrorsAsync(await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, currency = "EUR", lines = new[] { new { productId = product } } }));
        Assert.Contains("no EUR price for SEAT", missing["lines[0].unitPrice"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Quotes_are_validated_with_field_errors(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Checked" });
        var before = (await admin.Client.GetJsonAsync("/api/v1/quotes"))["data"]!.AsArray().Count;

        async Task<JsonObject> Errors(object body)
        {
            var response = await admin.Client.PostJsonAsync("/api/v1/quotes", body);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            return await CatalogApi.ErrorsAsync(response);
        }

        Assert.NotNull((await Errors(new { lines = new[] { new { description = "x", unitPrice = 1m } } }))["dealId"]);
        Assert.NotNull((await Errors(new { dealId = Guid.NewGuid(), lines = new[] { new { description = "x", unitPrice = 1m } } }))["dealId"]);
        Assert.NotNull((await Errors(new { dealId = deal, lines = Array.Empty<object>() }))["lines"]);
        Assert.NotNull((await Errors(new { dealId = deal, currency = "XXQ", lines = new[] { new { description = "x", unitPrice = 1m } } }))["currency"]);
        var lineErrors = await Errors(new
        {
            dealId = deal,
            lines = new object[]
            {
                new { description = "ok", unitPrice = 1m },
                new { description = "bad", quantity = -1m, unitPrice = 1m, discountPercent = 120m, taxRatePercent = 5.12345m },
                new { quantity = 1m, unitPrice = 1m },
                new { description = "no price" },
                new { productId = Guid.NewGuid() },
            },
        });
        Assert.Equal(["lines[1].quantity", "lines[1].discountPercent", "lines[1].taxRatePercent", "lines[2].description", "lines[3].unitPrice", "lines[4].productId"],
            lineErrors.Select(e => e.Key).ToList());
        var unknown = await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines = new[] { new { description = "x", unitPrice = 1m } }, surprise = true });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(before, (await admin.Client.GetJsonAsync("/api/v1/quotes"))["data"]!.AsArray().Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_sent_quote_is_revised_not_edited_and_accepting_the_current_revision_makes_the_order(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Big sale", currency = "USD" });
        var validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (id, quote, etag) = await CreateQuoteAsync(admin.Client, new { dealId = deal, validUntil, lines = new[] { new { description = "Consulting", quantity = 10m, unitPrice = 150m, taxRatePercent = 8m } } });
        Assert.Equal(("Q-00001", 1, "draft"), (quote["number"]!.GetValue<string>(), quote["revision"]!.GetValue<int>(), quote["status"]!.GetValue<string>()));

        // A draft changes in place.
        var edited = await admin.Client.PatchJsonAsync($"/api/v1/quotes/{id}", new { lines = new[] { new { description = "Consulting", quantity = 12m, unitPrice = 150m, taxRatePercent = 8m } } }, etag);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(1944m, (await edited.JsonAsync())["total"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.PatchJsonAsync($"/api/v1/quotes/{id}", new { notes = "x" }, null)).StatusCode);

        // Mailed when the host has a mail server (test.sh starts one); refused with a field error when it has none.
        var sent = await admin.Client.PostJsonAsync($"/api/v1/quotes/{id}/send", new { to = "buyer@example.com" });
        if (TestMail.Server is null)
        {
            Assert.NotNull((await CatalogApi.ErrorsAsync(sent))["to"]);
            sent = await admin.Client.PostJsonAsync($"/api/v1/quotes/{id}/send", new { });
        }

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal("sent", (await sent.JsonAsync())["status"]!.GetValue<string>());
        var patchSent = await admin.Client.PatchJsonAsync($"/api/v1/quotes/{id}", new { notes = "late change" }, "*");
        Assert.Equal(HttpStatusCode.Conflict, patchSent.StatusCode);
        Assert.Contains("Revise it", (await patchSent.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var revised = await admin.Client.PostJsonAsync($"/api/v1/quotes/{id}/revise", new { });
        Assert.Equal(HttpStatusCode.Created, revised.StatusCode);
        var second = await revised.JsonAsync();
        var secondId = Guid.Parse(second["id"]!.GetValue<string>());
        Assert.Equal(("Q-00001", 2, "draft", 1944m), (second["number"]!.GetValue<string>(), second["revision"]!.GetValue<int>(), second["status"]!.GetValue<string>(), second["total"]!.GetValue<decimal>()));
        var first = await admin.Client.GetJsonAsync($"/api/v1/quotes/{id}");
        Assert.Equal(("sent", secondId.ToString()), (first["status"]!.GetValue<string>(), first["revisedById"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{id}/accept", new { })).StatusCode); // replaced
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{secondId}/revise", new { })).StatusCode); // a draft is edited

        var accepted = await admin.Client.PostJsonAsync($"/api/v1/quotes/{secondId}/accept", new { });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var order = await accepted.JsonAsync();
        var orderId = Guid.Parse(order["id"]!.GetValue<string>());
        Assert.Equal(("SO-00001", "confirmed", 1944m, secondId.ToString(), deal.ToString()),
            (order["number"]!.GetValue<string>(), order["status"]!.GetValue<string>(), order["total"]!.GetValue<decimal>(), order["quoteId"]!.GetValue<string>(), order["dealId"]!.GetValue<string>()));
        Assert.Equal(second["lines"]!.ToJsonString(), order["lines"]!.ToJsonString());
        var acceptedQuote = await admin.Client.GetJsonAsync($"/api/v1/quotes/{secondId}");
        Assert.Equal(("accepted", orderId.ToString()), (acceptedQuote["status"]!.GetValue<string>(), acceptedQuote["orderId"]!.GetValue<string>()));
        var again = await admin.Client.PostJsonAsync($"/api/v1/quotes/{secondId}/accept", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("accepted", (await again.JsonAsync())["currentStatus"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{secondId}/reject", new { })).StatusCode);

        // The deal's quotes, current revisions only.
        var current = await admin.Client.GetJsonAsync($"/api/v1/quotes?filter={Uri.EscapeDataString($$"""{"and":[{"field":"dealId","op":"eq","value":"{{deal}}"},{"field":"revisedById","op":"isNull"}]}""")}");
        Assert.Equal([secondId.ToString()], current["data"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(2, await db.Set<Quote>().CountAsync(Ct));
        if (TestMail.Server is not null)
        {
            var mailed = await db.Set<MailOutboxItem>().IgnoreQueryFilters().Where(m => m.Kind == "quote" && m.To == "buyer@example.com").SingleAsync(Ct);
            Assert.Contains("Total: 1944.00 USD", mailed.TextBody, StringComparison.Ordinal);
        }

        var audited = await db.Set<AuditEntry>().Where(a => a.EntityType == Quote.TypeName && a.EntityId == secondId).Select(a => a.Action).ToListAsync(Ct);
        Assert.Contains("create", audited);
        Assert.Contains("update", audited);
        Assert.Contains("create", await db.Set<AuditEntry>().Where(a => a.EntityType == Order.TypeName && a.EntityId == orderId).Select(a => a.Action).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Quote_and_order_statuses_follow_their_rules(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Rules" });
        var lines = new[] { new { description = "Thing", quantity = 1m, unitPrice = 100m } };
        var (draft, _, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines });
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{draft}/revise", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{draft}/reject", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{draft}/send", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{draft}/accept", new { })).StatusCode);

        var (late, _, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, validUntil = "2020-01-31", lines });
        var lateSend = await admin.Client.PostJsonAsync($"/api/v1/quotes/{late}/send", new { });
        Assert.Equal(HttpStatusCode.Conflict, lateSend.StatusCode);
        Assert.Contains("valid until 2020-01-31", (await lateSend.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendWithIfMatchAsync(admin.Client, $"/api/v1/quotes/{late}/accept", "\"99\"")).StatusCode);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await admin.Client.PostJsonAsync($"/api/v1/quotes/{late}/send", new { to = "not-an-address" })))["to"]);

        // An order made directly on the deal: edited while a draft, then through fulfilment.
        var created = await admin.Client.PostJsonAsync("/api/v1/orders", new { dealId = deal, lines });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.JsonAsync();
        var id = order["id"]!.GetValue<string>();
        Assert.Equal("draft", order["status"]!.GetValue<string>());
        var patched = await admin.Client.PatchJsonAsync($"/api/v1/orders/{id}", new { lines = new[] { new { description = "Thing", quantity = 2m, unitPrice = 100m } } }, created.Headers.ETag!.Tag);
        Assert.Equal(200m, (await patched.JsonAsync())["total"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/orders/{id}/status", new { status = "fulfilled" })).StatusCode);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await admin.Client.PostJsonAsync($"/api/v1/orders/{id}/status", new { status = "shipped" })))["status"]);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/orders/{id}/status", new { status = "confirmed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PatchJsonAsync($"/api/v1/orders/{id}", new { notes = "late" }, "*")).StatusCode);
        var fulfilled = await admin.Client.PostJsonAsync($"/api/v1/orders/{id}/status", new { status = "fulfilled" });
        Assert.Equal("fulfilled", (await fulfilled.JsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/orders/{id}/status", new { status = "cancelled" })).StatusCode);
    }

    private static Task<HttpResponseMessage> SendWithIfMatchAsync(HttpClient client, string url, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request, Ct);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_contract_from_an_order_has_its_renewal_reminder_marked_due_and_an_auto_renewing_one_renews(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Annual", amount = 5000, currency = "EUR" });
        var (quote, _, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines = new[] { new { description = "Year", quantity = 1m, unitPrice = 4800m, taxRatePercent = 20m } } });
        var order = await (await admin.Client.PostJsonAsync($"/api/v1/quotes/{quote}/accept", new { })).JsonAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var response = await admin.Client.PostJsonAsync("/api/v1/contracts", new
        {
            orderId = Guid.Parse(order["id"]!.GetValue<string>()), startDate = today.AddDays(-360).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), endDate = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reminderDays = 30,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var contract = await response.JsonAsync();
        var id = contract["id"]!.GetValue<string>();
        Assert.Equal(("SO-00001", 5760m, "EUR", deal.ToString(), false), (contract["name"]!.GetValue<string>(), contract["value"]!.GetValue<decimal>(),
            contract["currency"]!.GetValue<string>(), contract["dealId"]!.GetValue<string>(), contract["reminderDue"]!.GetValue<bool>()));
        Assert.Equal(today.AddDays(-25).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), contract["reminderDueOn"]!.GetValue<string>());

        var auto = await (await admin.Client.PostJsonAsync("/api/v1/contracts", new
        {
            dealId = deal, name = "Support", startDate = today.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), endDate = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), autoRenew = true,
        })).JsonAsync();
        var renewing = Guid.Parse(auto["id"]!.GetValue<string>());
        Assert.Equal(5000m, auto["value"]!.GetValue<decimal>()); // the deal's amount

        var job = factory.Services.GetRequiredService<SalesDocumentsDaily>();
        await job.RunOnceAsync(Ct);
        await job.RunOnceAsync(Ct); // done once

        var due = await admin.Client.GetJsonAsync($"/api/v1/contracts/{id}");
        Assert.True(due["reminderDue"]!.GetValue<bool>());
        Assert.Equal("active", due["status"]!.GetValue<string>());
        Assert.NotNull(due["remindedAt"]);
        Assert.Equal(2, due["version"]!.GetValue<int>());
        var renewed = await admin.Client.GetJsonAsync($"/api/v1/contracts/{renewing}");
        Assert.Equal((today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.AddDays(29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 1, "active"),
            (renewed["startDate"]!.GetValue<string>(), renewed["endDate"]!.GetValue<string>(), renewed["renewals"]!.GetValue<int>(), renewed["status"]!.GetValue<string>()));
        var dueList = await admin.Client.GetJsonAsync($"/api/v1/contracts?filter={Uri.EscapeDataString("""{"field":"remindedAt","op":"isNotNull"}""")}");
        Assert.Equal([id], dueList["data"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));

        // A new end date re-arms the reminder; an end before the start is refused.
        var moved = await admin.Client.PatchJsonAsync($"/api/v1/contracts/{id}", new { endDate = today.AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, "*");
        Assert.False((await moved.JsonAsync())["reminderDue"]!.GetValue<bool>());
        Assert.NotNull((await CatalogApi.ErrorsAsync(await admin.Client.PatchJsonAsync($"/api/v1/contracts/{id}", new { endDate = "2000-01-01" }, "*")))["endDate"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_workspace_has_an_address_and_a_logo_for_printed_quotes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var member = await factory.InviteAsync(admin, "sales-rep");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        var address = await admin.Client.PatchJsonAsync("/api/v1/workspace", new { address = "1 Bund Road\n上海 200000" }, "*");
        Assert.Equal("1 Bund Road\n上海 200000", (await address.JsonAsync())["address"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.PutAsync("/api/v1/workspace/logo", new ByteArrayContent(png), Ct)).StatusCode);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await admin.Client.PutAsync("/api/v1/workspace/logo", new ByteArrayContent("GIF89a"u8.ToArray()), Ct)))["logo"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await admin.Client.PutAsync("/api/v1/workspace/logo",
            new ByteArrayContent([.. png, .. new byte[Rapport.Kernel.Workspaces.Workspace.LogoMaxBytes]]), Ct)))["logo"]);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Client.GetAsync("/api/v1/workspace/logo", Ct)).StatusCode);

        var set = await admin.Client.PutAsync("/api/v1/workspace/logo", new ByteArrayContent(png), Ct);
        Assert.Equal("image/png", (await set.JsonAsync())["logoContentType"]!.GetValue<string>());
        var logo = await member.Client.GetAsync("/api/v1/workspace/logo", Ct);
        Assert.Equal("image/png", logo.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await logo.Content.ReadAsByteArrayAsync(Ct));

        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Printed" });
        var (quote, _, _) = await CreateQuoteAsync(admin.Client, new { dealId = deal, lines = new[] { new { description = "Item", unitPrice = 5m } } });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Security.CurrentUser>().Use(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new(Rapport.Kernel.Security.RapportClaims.UserId, admin.UserId.ToString()), new(Rapport.Kernel.Security.RapportClaims.WorkspaceId, admin.WorkspaceId.ToString())], "test")));
            var print = await scope.ServiceProvider.GetRequiredService<GetQuotePrint.Handler>().HandleAsync(quote, Ct);
            Assert.Equal(("1 Bund Road\n上海 200000", "data:image/png;base64," + Convert.ToBase64String(png), "Printed"), (print!.WorkspaceAddress, print.LogoDataUrl, print.DealName));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync("/api/v1/workspace/logo", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/api/v1/workspace/logo", Ct)).StatusCode);
        await using var check = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Contains(await db.Set<AuditEntry>().Where(a => a.EntityType == "workspace").Select(a => a.Action).ToListAsync(Ct), a => a == "update");
    }
}
