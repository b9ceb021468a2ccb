using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Splits the time of an import into phases from a <c>dotnet-trace</c> thread-time sample (~100 Hz, converted to speedscope
/// JSON). A sampled interval of a thread that is not idle counts for work beside the job (progress polls, the job runner,
/// the finalizer) when its stack says so; else for a purpose (the company of a row, the batch's key look-up) when any
/// frame names it; else for the mechanism named by the innermost frame that names one (async code resumes from the
/// innermost awaited call, so its stack holds only the part of the chain that resumed: the leaf side is what runs). The
/// split is approximate. The job handles one row at a time, so its phases add up to its time on a thread; the rest of its
/// wall time it waits: for the database's answers (over the network), in a pause it makes (on SQLite, after each batch, to let
/// other writers in), or in a GC.
/// </summary>
public static class ImportTrace
{
    private const string Driver = "the database driver";
    private const string SaveDriver = "SaveChanges: the database driver and engine";
    private const string QueryDriver = "checks: SQL queries (rights, workspace, custom fields, companies…)";
    /// <summary>Any Rapport or EF Core frame: counted only when no frame names anything more specific.</summary>
    private const string Other = "other Rapport and EF Core work";

    private static readonly (string Phase, string[] Frames)[] Beside =
    [
        ("beside the job: progress polls (GET /api/v1/imports/{id})", ["Kestrel", "HttpProtocol", "HostingApplication", "BearerTokenHandler", "ImportDto"]),
        ("beside the job: job runner (lease renewal, looking for work)", ["JobRunner+<RenewAsync>", "JobRunner+<ClaimNextAsync>", "JobQueue"]),
        ("beside the job: finalizer thread", ["RunFinalizers"]),
    ];

    private static readonly (string Phase, string[] Frames)[] Purposes =
    [
        ("company look-up or creation (ContactImport.CompanyOfAsync, CreateCompany)", ["CompanyOfAsync", "CreateCompany", "CompanyRules"]),
        ("key look-up for the batch (ContactImport.FindAsync)", ["ContactImport+<FindAsync>"]),
    ];

    private static readonly (string Phase, string[] Frames)[] Mechanisms =
    [
        (Driver, ["Npgsql!", "Microsoft.Data.Sqlite!", "SQLitePCL", "RelationalCommand", "RelationalConnection"]),
        ("SaveChanges: audit rows, stamps, search text (RapportDbContext.PrepareForSave)", ["PrepareForSave", "SearchIndexing"]),
        ("SaveChanges: EF Core change tracking and SQL generation", ["SaveChangesAsync", "ModificationCommandBatch", "BatchExecutor", "StateManager"]),
        ("checks: a new FluentValidation validator per row, and its rules", ["FluentValidation", "ContactFieldsValidator"]),
        (QueryDriver, ["QueryCompiler", "EntityQueryProvider", "QueryingEnumerable", "RelationalDataReader"]),
        ("checks: other .NET work in the use case", ["CreateContact", "ContactRules", "CustomFieldSet", "AccessControl", "ContactDto", "ContactImport"]),
        ("import engine: reading the file, ledger, progress", ["ImportJob"]),
        (Other, ["Rapport.App!", "Microsoft.EntityFrameworkCore"]),
    ];

    /// <summary>Frames in a stack that make a driver sample a write (else it is a query).</summary>
    private static readonly string[] Saving = ["SaveChangesAsync", "ModificationCommandBatch", "BatchExecutor"];

    /// <summary>What a thread that waits for work has at the top of its stack.</summary>
    private static readonly string[] Idle =
    [
        "WaitForSignal", "WaitOneNoCheck", "Monitor.Wait", "ManualResetEventSlim.Wait", "SpinThenBlockingWait", "LowLevelLifoSemaphore", "Thread.Sleep",
        "Interop+Sys.Read(", "EventLoop", "WaitForSocketEvents", "WorkerThreadStart", "GC.RunFinalizers()",
    ];

    /// <summary>A markdown table of the phases, as shares of <paramref name="wall"/>.</summary>
    public static string Breakdown(string speedscopeFile, TimeSpan wall)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(speedscopeFile));
        var frames = json.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToArray();
        var idle = frames.Select(f => Idle.Any(i => f.Contains(i, StringComparison.Ordinal))).ToArray();
        var pseudo = frames.Select(f => f is "CPU_TIME" or "UNMANAGED_CODE_TIME").ToArray();
        var beside = frames.Select(f => Find(Beside, f)).ToArray();
        var purpose = frames.Select(f => Find(Purposes, f)).ToArray();
        var mechanism = frames.Select(f => Find(Mechanisms, f)).ToArray();
        var saving = frames.Select(f => Saving.Any(w => f.Contains(w, StringComparison.Ordinal))).ToArray();
        var time = new Dictionary<string, double>();
        foreach (var (stack, ms) in Speedscope.Intervals(json.RootElement))
        {
            if (Phase(stack, idle, pseudo, beside, purpose, mechanism, saving) is { } phase)
            {
                time[phase] = time.GetValueOrDefault(phase) + ms;
            }
        }

        var besideNames = Beside.Select(b => b.Phase).ToHashSet();
        var job = time.Where(t => !besideNames.Contains(t.Key)).OrderByDescending(t => t.Value).ToList();
        var text = new StringBuilder();
        text.AppendLine("| phase (sampled with dotnet-trace; approximate) | time | share of wall |");
        text.AppendLine("|---|---:|---:|");
        foreach (var (phase, ms) in job)
        {
            text.AppendLine(Row(phase, ms, wall));
        }

        text.AppendLine(Row("the job on no thread: awaiting the database's answers or a pause (SQLite: JobContext.GiveWayAsync while other writes wait), GC",
            Math.Max(0, wall.TotalMilliseconds - job.Sum(t => t.Value)), wall));
        foreach (var (phase, _) in Beside)
        {
            text.AppendLine(Row(phase, time.GetValueOrDefault(phase), wall));
        }

        return text.ToString();
    }

    private static string? Find((string Phase, string[] Frames)[] phases, string frame) =>
        phases.FirstOrDefault(p => p.Frames.Any(w => frame.Contains(w, StringComparison.Ordinal))).Phase;

    private static string? Phase(List<int> stack, bool[] idle, bool[] pseudo, string?[] beside, string?[] purpose, string?[] mechanism, bool[] saving)
    {
        var leaf = stack.FindLastIndex(f => !pseudo[f]);
        if (leaf < 0 || idle[stack[leaf]])
        {
            return null;
        }

        if (stack.Select(f => beside[f]).FirstOrDefault(p => p is not null) is { } aside)
        {
            return aside;
        }

        if (stack.Select(f => purpose[f]).FirstOrDefault(p => p is not null) is { } reason)
        {
            return reason;
        }

        var other = false;
        for (var i = leaf; i >= 0; i--)
        {
            if (mechanism[stack[i]] is { } found)
            {
                if (found == Other)
                {
                    other = true;
                    continue;
                }

                return found != Driver ? found : stack.Any(f => saving[f]) ? SaveDriver : QueryDriver;
            }
        }

        return other ? Other : null;
    }

    private static string Row(string phase, double milliseconds, TimeSpan wall) =>
        string.Create(CultureInfo.InvariantCulture, $"| {phase} | {milliseconds / 1000:F1} s | {milliseconds / wall.TotalMilliseconds:P0} |");
}
