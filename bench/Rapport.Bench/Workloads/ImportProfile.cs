using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Where an import's time goes, coarsely, without touching Rapport: two more imports of a smaller file on a fresh database
/// each — one with EF Core's command log on (SQL commands per row, by statement), one sampled with <c>dotnet-trace</c>
/// (time per phase, <see cref="ImportTrace"/>) when the script provided it. Both slow the run a little; the shares are what matter.
/// </summary>
public sealed partial class ImportProfile(BenchOptions options, string dataDirectory)
{
    public const int Rows = 3000;

    public async Task<string> RunAsync(BenchDatabase db)
    {
        var directory = Path.Combine(dataDirectory, "profile");
        var data = ContactSet.Write(directory, Math.Min(Rows, options.Rows), options.Seed);
        var file = Path.Combine(directory, ContactSet.ImportFile);
        var text = new StringBuilder();

        var (logged, cpu, databaseCpu, log) = await ImportAsync(db, "sql-log", file,
            ["--Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command=Information"], null);
        var backends = databaseCpu is { } d ? string.Create(CultureInfo.InvariantCulture, $", PostgreSQL's backends {d.TotalSeconds:F1} s") : "";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**{db.Name}**, {data.Rows:N0} rows: {logged.Elapsed.TotalSeconds:F1} s with the SQL log on ({data.Rows / logged.Elapsed.TotalSeconds:N0} rows/s); " +
            $"Rapport's process used {cpu.TotalSeconds:F1} s of CPU ({cpu / logged.Elapsed:P0} of one core){backends}.");
        text.AppendLine();
        text.Append(Statements(log, data.Rows));

        if (options.DotnetTrace is { } trace)
        {
            var (traced, _, _, speedscope) = await ImportAsync(db, "trace", file, [], trace);
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Sampled with `dotnet-trace` (profile dotnet-sampled-thread-time): {traced.Elapsed.TotalSeconds:F1} s, {data.Rows / traced.Elapsed.TotalSeconds:N0} rows/s."));
            text.AppendLine();
            text.Append(ImportTrace.Breakdown(speedscope, traced.Elapsed));
        }

        return text.ToString();
    }

    /// <summary>
    /// One import on a fresh database; returns its result, the CPU time of Rapport and of the database's backends, and
    /// the server's log lines written meanwhile (or, traced, the speedscope file).
    /// </summary>
    private async Task<(RapportClient.ImportResult Import, TimeSpan Cpu, TimeSpan? DatabaseCpu, string LogOrTrace)> ImportAsync(
        BenchDatabase db, string name, string file, string[] settings, string? dotnetTrace)
    {
        var database = db.NewRapport("rapport_profile");
        await database.ResetAsync();
        try
        {
            await using var server = await RapportServer.StartAsync(options, $"{db.Name}-{name}", [.. database.Settings, .. settings]);
            using var client = new RapportClient(server.Address);
            await client.SignUpAsync(ContactSet.DefaultCountry);
            await client.CreateCustomFieldsAsync();
            await Task.Delay(500);
            var logStart = (await File.ReadAllLinesAsync(server.Log)).Length;
            var nettrace = Path.Combine(options.WorkDirectory, $"{db.Name}-import.nettrace");
            var tracing = dotnetTrace is null ? null : await DotnetTrace.StartAsync(dotnetTrace, server.ProcessId, nettrace, options.WorkDirectory);
            var (cpu, databaseCpu) = (server.Memory.CpuTime(), await database.ServerCpuAsync());
            var import = await client.ImportAsync(file);
            // Backends that served only this import were not there to measure before it: all of their time counts.
            var (used, databaseUsed) = (server.Memory.CpuTime() - cpu, await database.ServerCpuAsync() - (databaseCpu ?? TimeSpan.Zero));
            if (tracing is not null)
            {
                return (import, used, databaseUsed, await tracing.StopAsync());
            }

            await Task.Delay(500);
            return (import, used, databaseUsed, string.Join('\n', (await File.ReadAllLinesAsync(server.Log)).Skip(logStart)));
        }
        finally
        {
            await database.DropAsync();
        }
    }

    /// <summary>SQL commands per imported row, by statement (a SELECT by the table it reads first, a write batch by the tables it writes).</summary>
    private static string Statements(string log, int rows)
    {
        var commands = Executed().Split(log).Skip(1).Select(sql => Kind(LogLine().Split(sql)[0])).ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{commands.Count:N0} SQL commands, {commands.Count / (double)rows:F1} per row:"));
        text.AppendLine();
        text.AppendLine("| statement | per row |");
        text.AppendLine("|---|---:|");
        foreach (var group in commands.GroupBy(c => c).OrderByDescending(g => g.Count()).Take(14))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count() / (double)rows:F2} |"));
        }

        return text.ToString();
    }

    private static string Kind(string sql)
    {
        var writes = Write().Matches(sql).Select(m => $"{m.Groups[1].Value.ToUpperInvariant()} {m.Groups[2].Value}").Distinct().ToList();
        if (writes.Count > 0)
        {
            return string.Join(" + ", writes);
        }

        var read = From().Match(sql);
        return read.Success ? $"SELECT … FROM {read.Groups[1].Value}" : sql.Trim().Split('\n')[0].Trim();
    }

    [GeneratedRegex(@"Executed DbCommand \([^)]*\) \[[^\n]*\n")]
    private static partial Regex Executed();

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d [A-Z]{3}\]", RegexOptions.Multiline)]
    private static partial Regex LogLine();

    [GeneratedRegex(@"\b(INSERT INTO|UPDATE|DELETE FROM)\s+""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Write();

    [GeneratedRegex(@"\bFROM\s+""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex From();
}
