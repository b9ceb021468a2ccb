using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Rapport.Bench.Reporting;

/// <summary>The facts a figure is only comparable with: CPU, cores, memory, OS and the versions of everything measured.</summary>
public static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages: other work on a shared machine shows here.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static async Task<IReadOnlyList<(string Name, string Value)>> FactsAsync(IEnumerable<string> databaseVersions)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kilobytes = long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var kernel = (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease")).Trim();
        await using var sqlite = new SqliteConnection("Data Source=:memory:");
        await sqlite.OpenAsync();
        await using var version = sqlite.CreateCommand();
        version.CommandText = "SELECT sqlite_version()";
        var embedded = (string?)await version.ExecuteScalarAsync();
        return
        [
            ("CPU", $"{cpu}, {Environment.ProcessorCount} cores"),
            ("memory", string.Create(CultureInfo.InvariantCulture, $"{kilobytes / 1024.0 / 1024.0:F1} GB")),
            ("OS", $"{os ?? RuntimeInformation.OSDescription}, Linux {kernel}"),
            (".NET", RuntimeInformation.FrameworkDescription),
            ("SQLite in Rapport", embedded ?? "unknown"),
            ("tools", string.Join(", ", databaseVersions)),
        ];
    }
}
