using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 6's point read: <c>GET /api/v1/contacts/{id}</c> of random contacts (wrk, 16 connections, a fixed time, the
/// administrator's bearer token: signed in and access-checked). Ceiling on PostgreSQL: <c>pgbench -S</c> on the same server
/// with as many clients for as long; on SQLite: the bare endpoint (<see cref="BareSqliteServer"/>) reading the same rows,
/// hit by the same wrk script. Each server is warmed up with an unmeasured 3 s run first.
/// </summary>
public sealed class PointReadWorkload(Scoreboard board, Wrk wrk, Pgbench? pgbench)
{
    public const string Throughput = "point read: requests/s";
    public const string Latency = "point read: p99";
    public const int Connections = 16;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private readonly HashSet<Level> _warmed = [];

    /// <summary>Rapport's run alone (the growth workload's sizes): its result.</summary>
    public async Task<WrkResult> RapportAsync(Level level, TimeSpan duration)
    {
        var result = await wrk.RunAsync(level.Server.Address, Wrk.Script.Read, Connections, duration, level.WrkVariables("/api/v1/contacts/"));
        Check(result, "Rapport's point reads");
        return result;
    }

    /// <summary>The ceiling, then Rapport, for one run: requests per second against the ceiling's, and Rapport's p99; returns Rapport's run.</summary>
    public async Task<WrkResult> RunAsync(Level level)
    {
        var duration = TimeSpan.FromSeconds(level.Options.Duration);
        if (_warmed.Add(level))
        {
            // Both servers' code is compiled by the JIT in tiers as it runs: a first run would time the compiler too.
            await CeilingAsync(level, WarmUp);
            await RapportAsync(level, WarmUp);
        }

        var (rate, p99) = await CeilingAsync(level, duration);
        var rapport = await RapportAsync(level, duration);
        board.Add(new Figure(Throughput, level.Engine.Name, "req/s", rate, rapport.RequestsPerSecond, new Target(MinRatio: level.Sqlite ? 0.5 : 0.3)));
        board.Add(new Figure(Latency, level.Engine.Name, "ms", p99, rapport.P99, new Target(MaxValue: 50)));
        Level.Say(string.Create(CultureInfo.InvariantCulture,
            $"{level.Engine.Name} point read: Rapport {rapport.RequestsPerSecond:N0} req/s (p99 {rapport.P99:F1} ms), ceiling {rate:N0}/s (p99 {p99:F1} ms)"));
        return rapport;
    }

    private async Task<(double Rate, double P99)> CeilingAsync(Level level, TimeSpan duration)
    {
        if (!level.Sqlite)
        {
            var result = await pgbench!.SelectOnlyAsync(Connections, duration);
            return (result.TransactionsPerSecond, result.P99);
        }

        var bareResult = await wrk.RunAsync(await level.BareSqliteAsync(), Wrk.Script.Read, Connections, duration,
            new Dictionary<string, string> { ["BENCH_PREFIX"] = "/contacts/", ["BENCH_IDS"] = level.IdsFile });
        Check(bareResult, "The bare SQLite endpoint's reads");
        return (bareResult.RequestsPerSecond, bareResult.P99);
    }

    /// <summary>A run with failed requests measures something else: it stops the benchmark.</summary>
    internal static void Check(WrkResult result, string what)
    {
        if (result.Failed > result.Requests / 1000)
        {
            throw new InvalidOperationException($"{what}: {result.Failed} of {result.Requests} requests failed or answered an error.");
        }
    }
}
