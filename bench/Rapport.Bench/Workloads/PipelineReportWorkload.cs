using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;
using Rapport.Kernel.Search;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 7's benchmark: <c>GET /api/v1/reports/pipeline?pipelineId=…</c> (deals by stage and close month, converted to the
/// base currency) over --rows generated deals, against the same GROUP BY run directly through the driver Rapport uses
/// (goal ≤ 1.5× at the median), and the SQL statements the request sends to <c>sales_deals</c> (goal: 1). The deals are
/// loaded in bulk (PostgreSQL: binary COPY; SQLite: one transaction of prepared inserts) into a database Rapport migrated.
/// </summary>
public sealed partial class PipelineReportWorkload(BenchOptions options, Scoreboard board)
{
    public const string Latency = "pipeline report: p50";
    public const string Statements = "pipeline report: SQL statements on sales_deals";

    public async Task RunAsync(BenchDatabase engine)
    {
        var database = engine.NewRapport("bench_deals");
        await database.ResetAsync();
        var server = await RapportServer.StartAsync(options, $"{engine.Name}-deals", database.Settings);
        var client = new RapportClient(server.Address);
        try
        {
            await client.SignUpAsync("US");
            var (workspace, user) = await database.MemberAsync();
            var pipeline = (await client.GetAsync("/api/v1/pipelines"))["data"]![0]!;
            var pipelineId = Guid.Parse(pipeline["id"]!.GetValue<string>());
            var stages = pipeline["stages"]!.AsArray()
                .Select(s => new DealSet.Stage(Guid.Parse(s!["id"]!.GetValue<string>()), s["kind"]!.GetValue<string>())).ToList();
            await client.CreateAsync("/api/v1/exchange-rates", new { currency = "EUR", rate = 1.08m, effectiveFrom = "2024-01-01" });
            await client.CreateAsync("/api/v1/exchange-rates", new { currency = "EUR", rate = 1.12m, effectiveFrom = "2026-01-01" });
            await client.CreateAsync("/api/v1/exchange-rates", new { currency = "CNY", rate = 0.14m, effectiveFrom = "2024-01-01" });

            var clock = Stopwatch.StartNew();
            var rows = DealSet.Generate(options.Rows, options.Seed, stages);
            var sqlite = engine.Name == "sqlite";
            await using (var connection = database.Connection())
            {
                await connection.OpenAsync();
                if (sqlite)
                {
                    await LoadSqliteAsync((SqliteConnection)connection, rows, workspace, user, pipelineId);
                }
                else
                {
                    await LoadPostgresAsync((NpgsqlConnection)connection, rows, workspace, user, pipelineId);
                }
            }

            Level.Say(string.Create(CultureInfo.InvariantCulture, $"{engine.Name}: {options.Rows:N0} deals loaded in {clock.Elapsed.TotalSeconds:F1} s"));
            var path = $"/api/v1/reports/pipeline?pipelineId={pipelineId}";
            var cells = (await client.GetAsync(path))["cells"]!.AsArray().Count; // warm: compiles the query
            var budget = options.QueryDuration;
            var rapport = new List<double>();
            var direct = new List<double>();
            await using (var connection = database.Connection())
            {
                await connection.OpenAsync();
                if (connection is SqliteConnection lite)
                {
                    AddEfSum(lite);
                }

                var (sql, parameters) = Sql(sqlite, workspace, pipelineId);
                for (var run = 0; run < Math.Max(1, options.Runs); run++)
                {
                    // Interleaved, so both sides see the same machine load.
                    rapport.AddRange(await TimeRapportAsync(client, path, budget / 2));
                    direct.AddRange(await DirectQuery.TimeAsync(connection, sql, parameters, budget / 2));
                }
            }

            var (p50, p50Direct) = (Stats.Median(rapport), Stats.Median(direct));
            board.Add(new Figure(Latency, engine.Name, "ms", p50Direct, p50, new Target(MaxRatio: 1.5)));
            Level.Say(string.Create(CultureInfo.InvariantCulture,
                $"{engine.Name} pipeline report over {options.Rows:N0} deals ({cells} cells): Rapport p50 {p50:F1} ms ({rapport.Count} runs), same GROUP BY directly {p50Direct:F1} ms ({direct.Count} runs)"));

            // The statements of one request, from the EF Core command log.
            client.Dispose();
            await server.DisposeAsync();
            server = await RapportServer.StartAsync(options, $"{engine.Name}-deals-logged",
                [.. database.Settings, "--Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command=Information"]);
            var token = client.Token;
            client = new RapportClient(server.Address);
            client.UseToken(token);
            await client.GetAsync(path);
            var before = (await File.ReadAllLinesAsync(server.Log)).Length;
            await client.GetAsync(path);
            await Task.Delay(500); // the server's log reaches the file through a pipe
            var log = string.Join('\n', (await File.ReadAllLinesAsync(server.Log)).Skip(before));
            await File.WriteAllTextAsync(Path.Combine(options.WorkDirectory, $"statements-{engine.Name}-pipeline-report.log"), log);
            var onDeals = Entry().Matches(log).Count(m => m.Value.Contains("sales_deals", StringComparison.Ordinal));
            board.Add(new Figure(Statements, engine.Name, "statements", null, onDeals, new Target(MaxValue: 1)));
            Level.Say($"{engine.Name} pipeline report: {onDeals} statement(s) on sales_deals, {StatementCount.Count(log)} in all");
        }
        finally
        {
            client.Dispose();
            await server.DisposeAsync();
            if (!options.Keep)
            {
                await database.DropAsync();
            }
        }
    }

    private static async Task<List<double>> TimeRapportAsync(RapportClient client, string path, TimeSpan budget)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.Elapsed < budget && times.Count < 5000))
        {
            var one = Stopwatch.StartNew();
            await client.GetAsync(path);
            times.Add(one.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>The statement Rapport sends (its EF Core command log, for a whole pipeline), with the values it binds.</summary>
    public static (string Sql, Dictionary<string, object> Parameters) Sql(bool sqlite, Guid workspace, Guid pipeline)
    {
        var parameters = new Dictionary<string, object>
        {
            ["@ws"] = sqlite ? workspace.ToString().ToUpperInvariant() : workspace,
            ["@pipeline"] = sqlite ? pipeline.ToString().ToUpperInvariant() : pipeline,
        };
        var sql = sqlite
            ? """
              SELECT "s0"."stage_id", "s0"."currency", "s0"."Year", "s0"."Month", "s0"."WonDay", COUNT(*) AS "Count",
                     COUNT(CASE WHEN "s0"."amount" IS NOT NULL THEN 1 END) AS "WithAmount", COALESCE(ef_sum("s0"."amount"), '0.0') AS "Sum"
              FROM (
                  SELECT "s"."amount", "s"."currency", "s"."stage_id", CAST(strftime('%Y', "s"."close_date") AS INTEGER) AS "Year",
                         CAST(strftime('%m', "s"."close_date") AS INTEGER) AS "Month",
                         CASE WHEN "s"."status" = 'won' THEN CAST(strftime('%d', "s"."close_date") AS INTEGER) END AS "WonDay"
                  FROM "sales_deals" AS "s"
                  WHERE "s"."workspace_id" = @ws AND "s"."deleted_at" IS NULL AND "s"."pipeline_id" = @pipeline
              ) AS "s0"
              GROUP BY "s0"."stage_id", "s0"."currency", "s0"."Year", "s0"."Month", "s0"."WonDay"
              """
            : """
              SELECT s0.stage_id, s0.currency, s0."Year", s0."Month", s0."WonDay", count(*)::int AS "Count",
                     count(*) FILTER (WHERE s0.amount IS NOT NULL)::int AS "WithAmount", COALESCE(sum(s0.amount), 0.0) AS "Sum"
              FROM (
                  SELECT s.amount, s.currency, s.stage_id, date_part('year', s.close_date)::int AS "Year", date_part('month', s.close_date)::int AS "Month",
                         CASE WHEN s.status = 'won' THEN date_part('day', s.close_date)::int END AS "WonDay"
                  FROM sales_deals AS s
                  WHERE s.workspace_id = @ws AND s.deleted_at IS NULL AND s.pipeline_id = @pipeline
              ) AS s0
              GROUP BY s0.stage_id, s0.currency, s0."Year", s0."Month", s0."WonDay"
              """;
        return (sql, parameters);
    }

    /// <summary>EF Core's decimal sum on SQLite (amounts are stored as text there), as its provider registers it on every connection.</summary>
    private static void AddEfSum(SqliteConnection connection) =>
        connection.CreateAggregate("ef_sum", (decimal?)null,
            (decimal? sum, string? value) => value is null ? sum : (sum ?? 0) + decimal.Parse(value, CultureInfo.InvariantCulture),
            sum => sum?.ToString(CultureInfo.InvariantCulture));

    private static async Task LoadPostgresAsync(NpgsqlConnection connection, IEnumerable<DealSet.Row> rows, Guid workspace, Guid user, Guid pipeline)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY sales_deals (workspace_id, id, name, amount, currency, close_date, pipeline_id, stage_id, status, stage_entered_at, owner_id, " +
                         "competitors, custom_fields, version, created_at, created_by, updated_at, updated_by) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(workspace, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Name, NpgsqlDbType.Varchar);
                if (row.Amount is { } amount)
                {
                    await copy.WriteAsync(amount, NpgsqlDbType.Numeric);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(row.Currency, NpgsqlDbType.Varchar);
                await copy.WriteAsync(row.CloseDate, NpgsqlDbType.Date);
                await copy.WriteAsync(pipeline, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.StageId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Status, NpgsqlDbType.Varchar);
                await copy.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(user, NpgsqlDbType.Uuid);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(user, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(user, NpgsqlDbType.Uuid);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY kernel_search_entries (workspace_id, entity_type, record_id, field, text) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await copy.WriteRowAsync(default, workspace, Deal.TypeName, row.Id, "name", SearchName(row));
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE sales_deals; ANALYZE kernel_search_entries", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>SQLite stores what Rapport's converters write: ids as upper-case text, instants as UTC ticks, dates and decimals as text.</summary>
    private static async Task LoadSqliteAsync(SqliteConnection connection, IEnumerable<DealSet.Row> rows, Guid workspace, Guid user, Guid pipeline)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO sales_deals (workspace_id, id, name, amount, currency, close_date, pipeline_id, stage_id, status, stage_entered_at, owner_id, " +
            "competitors, custom_fields, version, created_at, created_by, updated_at, updated_by) " +
            "VALUES (@ws, @id, @name, @amount, @currency, @close, @pipeline, @stage, @status, @at, @user, '[]', '{}', 1, @at, @user, @at, @user)";
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "@ws", "@id", "@name", "@amount", "@currency", "@close", "@pipeline", "@stage", "@status", "@at", "@user" })
        {
            p[name] = insert.Parameters.Add(name, SqliteType.Text);
        }

        p["@at"].SqliteType = SqliteType.Integer;
        p["@ws"].Value = workspace.ToString().ToUpperInvariant();
        p["@pipeline"].Value = pipeline.ToString().ToUpperInvariant();
        p["@user"].Value = user.ToString().ToUpperInvariant();
        insert.Prepare();
        await using var index = connection.CreateCommand();
        index.Transaction = transaction;
        index.CommandText = $"INSERT INTO kernel_search_entries (workspace_id, entity_type, record_id, field, text) VALUES (@ws, '{Deal.TypeName}', @id, 'name', @text)";
        var indexWorkspace = index.Parameters.Add("@ws", SqliteType.Text);
        var indexId = index.Parameters.Add("@id", SqliteType.Text);
        var indexText = index.Parameters.Add("@text", SqliteType.Text);
        indexWorkspace.Value = p["@ws"].Value;
        index.Prepare();
        foreach (var row in rows)
        {
            p["@id"].Value = row.Id.ToString().ToUpperInvariant();
            p["@name"].Value = row.Name;
            p["@amount"].Value = row.Amount is { } amount ? amount.ToString("0.0###", CultureInfo.InvariantCulture) : DBNull.Value;
            p["@currency"].Value = row.Currency;
            p["@close"].Value = row.CloseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            p["@stage"].Value = row.StageId.ToString().ToUpperInvariant();
            p["@status"].Value = row.Status;
            p["@at"].Value = row.CreatedAt.UtcTicks;
            await insert.ExecuteNonQueryAsync();
            indexId.Value = p["@id"].Value;
            indexText.Value = SearchName(row);
            await index.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The search index row Rapport writes for a deal's name, so a restart finds the index full and does not rebuild it.</summary>
    private static string SearchName(DealSet.Row row) => SearchText.Build(SearchFieldKind.Text, [row.Name]);

    [GeneratedRegex(@"Executed DbCommand .*?(?=\n\[\d\d:\d\d:\d\d [A-Z]{3}\]|\z)", RegexOptions.Singleline)]
    private static partial Regex Entry();
}
