using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Where a server's threads spend a load test, from a <c>dotnet-trace</c> thread-time sample converted to speedscope JSON:
/// each sampled interval of a busy thread goes to the first part named by its stack, read from the innermost frame out
/// (a frame of the database driver is the driver's, whoever called it). Idle threads (waiting for work or for the
/// database's answer) are left out, so the shares are of the CPU the server used. Approximate, like any sample.
/// </summary>
public static class RequestTrace
{
    private static readonly (string Part, string[] Frames)[] Parts =
    [
        ("database driver and engine (Npgsql / Microsoft.Data.Sqlite, SQLite itself)", ["Npgsql!", "Microsoft.Data.Sqlite!", "SQLitePCL", "e_sqlite3"]),
        ("threads waiting for a garbage collection to finish", ["PollGC", "GarbageCollect", "gc_heap", "GCHeap"]),
        (Sockets, ["System.Net.Sockets!"]),
        ("JSON (System.Text.Json)", ["System.Text.Json"]),
        ("EF Core: compiling queries and looking them up in its cache", ["QueryCompiler", "CompiledQueryCache", "ExpressionTreeFuncletizer", "ParameterExtractingExpressionVisitor",
            "QueryTranslationPreprocessor", "ExpressionEqualityComparer"]),
        ("EF Core: change tracking and SaveChanges", ["SaveChanges", "StateManager", "ChangeTracker", "ModificationCommand", "BatchExecutor"]),
        ("EF Core: running queries and materializing rows", ["Microsoft.EntityFrameworkCore"]),
        ("Rapport: sign-in, access control, field policy", ["Rapport.App!Rapport.Modules.Identity", "AccessControl", "FieldMask", "CurrentUser", "RecordAccess"]),
        ("Rapport: the use case and its rules", ["Rapport.App!"]),
        ("ASP.NET Core and Kestrel (HTTP, routing, authentication middleware)", ["Microsoft.AspNetCore", "Kestrel"]),
        ("logging (Serilog)", ["Serilog", "Microsoft.Extensions.Logging"]),
    ];

    private const string Rest = "other .NET work (collections, strings, threads)";
    private const string Sockets = "sockets: HTTP requests and responses (send and receive system calls on loopback)";
    private const string DriverSockets = "sockets: SQL sent to and answers read from the database (system calls)";

    /// <summary>
    /// What a thread waiting for work, for a socket or for a lock has innermost (below it only native frames, <c>?!?</c>:
    /// the wait itself).
    /// </summary>
    private static readonly string[] Idle =
    [
        "WaitForSignal", "WaitOneNoCheck", "Monitor.Wait", "ManualResetEventSlim.Wait", "SpinThenBlockingWait", "LowLevelLifoSemaphore", "Thread.Sleep",
        "Interop+Sys.Read(", "EventLoop", "WaitForSocketEvents", "WorkerThreadStart", "GC.RunFinalizers()", "Interop+Sys.Poll", "Interop+Sys.WaitForSocketEvents",
    ];

    /// <summary>A markdown table: each part's share of the sampled busy time.</summary>
    public static string Breakdown(string speedscopeFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(speedscopeFile));
        var frames = json.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToArray();
        var idle = frames.Select(f => Idle.Any(i => f.Contains(i, StringComparison.Ordinal))).ToArray();
        // Not code: the sampler's markers, unresolved native frames, and the process and thread at the root.
        var pseudo = frames.Select(f => f is "CPU_TIME" or "UNMANAGED_CODE_TIME" or "?!?" || f.StartsWith("Process", StringComparison.Ordinal) ||
                                        f.StartsWith("Thread (", StringComparison.Ordinal)).ToArray();
        var part = frames.Select(f => Parts.FirstOrDefault(p => p.Frames.Any(w => f.Contains(w, StringComparison.Ordinal))).Part).ToArray();
        var driver = frames.Select(f => f.StartsWith("Npgsql!", StringComparison.Ordinal)).ToArray();
        var time = new Dictionary<string, double>();
        foreach (var (stack, ms) in Speedscope.Intervals(json.RootElement))
        {
            var leaf = stack.FindLastIndex(f => !pseudo[f]);
            if (leaf < 0 || idle[stack[leaf]])
            {
                continue;
            }

            var name = Rest;
            for (var i = leaf; i >= 0; i--)
            {
                if (part[stack[i]] is { } found)
                {
                    name = found == Sockets && stack.Any(f => driver[f]) ? DriverSockets : found;
                    break;
                }
            }

            time[name] = time.GetValueOrDefault(name) + ms;
        }

        var total = time.Values.Sum();
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| part (busy thread time, {total / 1000:F1} s sampled) | share |"));
        text.AppendLine("|---|---:|");
        foreach (var (name, ms) in time.OrderByDescending(t => t.Value))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ms / total:P0} |"));
        }

        return text.ToString();
    }
}

/// <summary>Reads a speedscope file's evented profiles: each interval between two events, with the stack open during it.</summary>
public static class Speedscope
{
    public static IEnumerable<(List<int> Stack, double Milliseconds)> Intervals(JsonElement root)
    {
        foreach (var profile in root.GetProperty("profiles").EnumerateArray())
        {
            var stack = new List<int>();
            double? last = null;
            foreach (var e in profile.GetProperty("events").EnumerateArray())
            {
                var at = e.GetProperty("at").GetDouble();
                if (last is { } previous && stack.Count > 0)
                {
                    yield return (stack, at - previous);
                }

                last = at;
                if (e.GetProperty("type").GetString() == "O")
                {
                    stack.Add(e.GetProperty("frame").GetInt32());
                }
                else if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }
    }
}
