using System.Globalization;
using System.Text.RegularExpressions;
using Rapport.Bench.Reporting;

namespace Rapport.Bench.Databases;

/// <summary>What one pgbench run measured: transactions per second and the 99th percentile of their latency (ms).</summary>
public sealed record PgbenchResult(double TransactionsPerSecond, double P99);

/// <summary>
/// PostgreSQL's ceilings, with <c>pgbench</c> on the benchmark's server: <c>-S</c> (a primary-key select on pgbench's own
/// table, initialised at a scale holding about as many rows as the contacts) and a script of Rapport's inserts. Prepared
/// statements (<c>-M prepared</c>), as many clients as wrk's connections, two threads, a fixed time; each transaction's
/// latency is logged (<c>--log</c>) for the 99th percentile.
/// </summary>
public sealed partial class Pgbench(BenchOptions options, string workDirectory)
{
    public const string Database = "bench_pgbench";

    private string[] Connection(string database) =>
        ["-h", options.PostgresHost, "-p", options.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", options.PostgresUser, database];

    /// <summary>Creates pgbench's tables in a database of their own, about <paramref name="rows"/> accounts (100,000 a scale step).</summary>
    public async Task InitializeAsync(int rows)
    {
        await Shell.RunAsync("psql", ["-h", options.PostgresHost, "-p", options.PostgresPort.ToString(CultureInfo.InvariantCulture), "-U", options.PostgresUser,
            "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", $"DROP DATABASE IF EXISTS {Database} WITH (FORCE);", "-c", $"CREATE DATABASE {Database};"]);
        var scale = Math.Max(1, (int)Math.Round(rows / 100_000.0));
        await Shell.RunAsync("pgbench", ["-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), .. Connection(Database)], check: false);
    }

    /// <summary><c>pgbench -S</c>: one primary-key read per transaction.</summary>
    public Task<PgbenchResult> SelectOnlyAsync(int clients, TimeSpan duration) => RunAsync(Database, ["-S"], clients, duration);

    /// <summary>A custom script (<paramref name="script"/>) on <paramref name="database"/>, with variables set by <c>-D</c>.</summary>
    public async Task<PgbenchResult> ScriptAsync(string database, string name, string script, IReadOnlyDictionary<string, string> variables, int clients, TimeSpan duration)
    {
        var file = Path.Combine(workDirectory, name + ".pgbench.sql");
        await File.WriteAllTextAsync(file, script);
        return await RunAsync(database, ["-f", file, .. variables.SelectMany(v => (string[])["-D", $"{v.Key}={v.Value}"])], clients, duration);
    }

    private async Task<PgbenchResult> RunAsync(string database, string[] arguments, int clients, TimeSpan duration)
    {
        var logs = Path.Combine(workDirectory, "pgbench-log");
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, recursive: true);
        }

        Directory.CreateDirectory(logs);
        var result = await Shell.RunAsync("pgbench",
        [
            .. arguments, "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
            "-T", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "--log", $"--log-prefix={Path.Combine(logs, "tx")}",
            .. Connection(database),
        ], check: false);
        var tps = Tps().Match(result.Output);
        if (result.ExitCode != 0 || !tps.Success)
        {
            throw new InvalidOperationException($"pgbench failed ({result.ExitCode}): {result.Error}{result.Output}");
        }

        // Each log line: client id, transaction number, latency in microseconds, …
        var latencies = Directory.EnumerateFiles(logs).SelectMany(File.ReadLines)
            .Select(l => l.Split(' ')).Where(f => f.Length > 2).Select(f => double.Parse(f[2], CultureInfo.InvariantCulture) / 1000).ToList();
        return new PgbenchResult(double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), latencies.Count > 0 ? Stats.Percentile(latencies, 99) : double.NaN);
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
