using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Architecture;

/// <summary>
/// The shape of the SQL behind lists and record pages, counted (not timed): the number of statements does not grow
/// with the page or with a record's related rows (no N+1), and no list pages with OFFSET (keyset cursors only).
/// </summary>
public sealed class QueryShapeTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Lists_and_records_send_as_many_statements_for_a_big_page_as_for_a_small_one_and_never_OFFSET(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "contact", key = "tier", type = "text", label = "Tier", sortable = true })).StatusCode);
        var companies = (await (await admin.Client.PostJsonAsync("/api/v1/companies/batch", new
        {
            items = Enumerable.Range(0, 30).Select(i => new { name = $"Shape Co {i}", domain = $"shape{i}.example", tags = new[] { "shape", $"t{i}" } }),
        })).JsonAsync())["results"]!.AsArray().Select(r => Guid.Parse(r!["id"]!.GetValue<string>())).ToList();
        var contacts = (await (await admin.Client.PostJsonAsync("/api/v1/contacts/batch", new
        {
            items = Enumerable.Range(0, 30).Select(i => new
            {
                firstName = "Shape", lastName = $"Person {i}", emails = new[] { $"shape{i}@example.com" }, companyId = companies[i],
                tags = new[] { "shape" }, custom = new { tier = $"T{i % 5}" },
            }),
        })).JsonAsync())["results"]!.AsArray().Select(r => Guid.Parse(r!["id"]!.GetValue<string>())).ToList();
        var busy = await (await admin.Client.PostJsonAsync("/api/v1/contacts", new
        {
            lastName = "Busy", emails = Enumerable.Range(0, 10).Select(i => $"busy{i}@example.com"), companyIds = companies.Take(15), tags = Enumerable.Range(0, 10).Select(i => $"b{i}"),
        })).JsonAsync();
        var busyId = busy["id"]!.GetValue<string>();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/notes",
                new { html = $"<p>Note {i}</p>", links = new[] { new { entityType = "contact", recordId = contacts[0] }, new { entityType = "company", recordId = companies[0] } } })).StatusCode);
        }

        string[] lists =
        [
            "/api/v1/contacts?limit={n}",
            "/api/v1/contacts?limit={n}&sort=custom.tier",
            "/api/v1/companies?limit={n}&sort=-name",
            "/api/v1/search?q=shape&limit={n}",
            $"/api/v1/contacts/{contacts[0]}/timeline?limit={{n}}",
            $"/api/v1/notes?entityType=company&recordId={companies[0]}&limit={{n}}",
            "/api/v1/audit?limit={n}",
            "/api/v1/duplicates?entity=contact&limit={n}",
        ];
        var failures = new List<string>();
        foreach (var list in lists)
        {
            var small = await StatementsAsync(factory, admin, list.Replace("{n}", "2", StringComparison.Ordinal));
            var big = await StatementsAsync(factory, admin, list.Replace("{n}", "25", StringComparison.Ordinal));
            if (small.Count == 0)
            {
                failures.Add($"{list}: no statement counted (is the counter wired?)");
            }
            else if (small.Count != big.Count)
            {
                failures.Add($"{list}: {small.Count} statements for 2 rows, {big.Count} for 25");
            }

            if (big.Concat(small).FirstOrDefault(sql => sql.Contains("OFFSET", StringComparison.OrdinalIgnoreCase)) is { } offset)
            {
                failures.Add($"{list} pages with OFFSET: {offset}");
            }
        }

        // A record with one of everything and one with many related rows (emails, companies, tags).
        var plain = await StatementsAsync(factory, admin, $"/api/v1/contacts/{contacts[1]}");
        var loaded = await StatementsAsync(factory, admin, $"/api/v1/contacts/{busyId}");
        if (plain.Count != loaded.Count)
        {
            failures.Add($"GET contact: {plain.Count} statements for a plain record, {loaded.Count} for one with 15 companies");
        }

        var company = await StatementsAsync(factory, admin, $"/api/v1/companies/{companies[0]}");
        var otherCompany = await StatementsAsync(factory, admin, $"/api/v1/companies/{companies[1]}");
        if (company.Count != otherCompany.Count)
        {
            failures.Add($"GET company: {company.Count} statements with 12 notes and 2 contacts, {otherCompany.Count} with one contact");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_deep_page_seeks_the_sort_index_to_its_cursor_instead_of_reading_the_rows_before_it(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "contact", key = "score", type = "number", label = "Score", sortable = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync("/api/v1/contacts/batch", new
        {
            items = Enumerable.Range(0, 30).Select(i => new { lastName = $"Deep {i}", custom = i % 10 == 0 ? null : new { score = i % 7 } }),
        })).StatusCode);

        // Walk the list 4 rows a page: every row once, nulls last, and each page after the first reads from its cursor on.
        var seen = new List<(double? Score, string Name)>();
        var plans = new List<string>();
        string? cursor = null;
        do
        {
            factory.Statements.Reset(admin.WorkspaceId);
            var url = "/api/v1/contacts?limit=4&sort=custom.score" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await admin.Client.GetAsync(url, Ct)).JsonAsync();
            seen.AddRange(page["data"]!.AsArray().Select(c => (c!["custom"]?["score"]?.GetValue<double?>(), c["lastName"]!.GetValue<string>())));
            if (cursor is not null)
            {
                foreach (var statement in factory.Statements.Sent(admin.WorkspaceId).Where(s => s.Sql.Contains("ORDER BY", StringComparison.Ordinal)))
                {
                    plans.Add(await QueryPlans.ExplainAsync(factory, admin, statement, Ct));
                }
            }

            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(30, seen.Count);
        Assert.Equal(30, seen.Select(s => s.Name).Distinct().Count());
        Assert.Equal(seen.OrderBy(s => s.Score is null).ThenBy(s => s.Score).Select(s => s.Score), seen.Select(s => s.Score));
        var descending = await WalkAsync(admin, "-custom.score");
        Assert.Equal(30, descending.Count);
        Assert.Equal(30, descending.Select(s => s.Name).Distinct().Count());
        Assert.Equal(seen.OrderBy(s => s.Score is null).ThenByDescending(s => s.Score).Select(s => s.Score), descending.Select(s => s.Score));
        // Every page after the first: its statement for the rows with a score is a range on the sort index.
        Assert.NotEmpty(plans);
        var ranges = plans.Count(plan => (factory.Provider == "sqlite")
            // SQLite: a seek (the is-null column equal, the value a range), and the page read in the index's order: the one
            // temporary B-tree left is the outer query's, re-sorting the page's rows after the join to their companies.
            ? plan.Contains("USING INDEX ix_cf_customers_contacts_", StringComparison.Ordinal) && plan.Contains(">?", StringComparison.Ordinal)
              && plan.Split('\n').Count(line => line.Contains("TEMP B-TREE", StringComparison.Ordinal)) <= 1
            // PostgreSQL folds (score IS NULL) = false into score IS NOT NULL, so the range must come as a row comparison on the
            // index's columns to bound the scan (a condition on a later column alone is only checked along the whole index).
            : plan.Split('\n').Any(line => line.Contains("Index Cond", StringComparison.Ordinal) && line.Contains("ROW(", StringComparison.Ordinal)));
        Assert.True(ranges >= 5, $"{ranges} of {plans.Count} page statements seek the index:{Environment.NewLine}{string.Join(Environment.NewLine + "--" + Environment.NewLine, plans)}");
        // Scores repeat (i % 7), so cursors fall inside runs of ties: the seek goes past the cursor's row by its id too,
        // instead of reading the tied rows before it (a million contacts have thousands of rows per score).
        var pastTheRow = plans.Count(plan => factory.Provider == "sqlite"
            ? plan.Split('\n').Any(line => line.Contains("USING INDEX ix_cf_customers_contacts_", StringComparison.Ordinal) && line.Contains("id>?", StringComparison.Ordinal))
            : plan.Split('\n').Any(line => line.Contains("Index Cond", StringComparison.Ordinal) && line.Contains("ROW(", StringComparison.Ordinal) && line.Contains(", id) > ROW(", StringComparison.Ordinal)));
        Assert.True(pastTheRow >= 5, $"{pastTheRow} of {plans.Count} page statements seek past the cursor's row:{Environment.NewLine}{string.Join(Environment.NewLine + "--" + Environment.NewLine, plans)}");
    }

    private static async Task<List<(double? Score, string Name)>> WalkAsync(Tenant who, string sort)
    {
        var seen = new List<(double? Score, string Name)>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/contacts?limit=4&sort={sort}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await who.Client.GetAsync(url, Ct)).JsonAsync();
            seen.AddRange(page["data"]!.AsArray().Select(c => (c!["custom"]?["score"]?.GetValue<double?>(), c["lastName"]!.GetValue<string>())));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return seen;
    }

    private static async Task<IReadOnlyList<string>> StatementsAsync(RapportFactory factory, Tenant who, string url)
    {
        factory.Statements.Reset(who.WorkspaceId);
        var response = await who.Client.GetAsync(url, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return factory.Statements.Sql(who.WorkspaceId);
    }
}
