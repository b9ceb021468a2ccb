using System.Diagnostics;
using System.Globalization;

namespace Rapport.Bench.Server;

/// <summary>
/// A <c>dotnet-trace</c> session on a server process (profile <c>dotnet-sampled-thread-time</c>: every thread's stack about
/// 100 times a second), converted to speedscope JSON when it stops.
/// </summary>
public sealed class DotnetTrace
{
    private readonly Process _process;
    private readonly string _tool;
    private readonly string _nettrace;
    private readonly string _pidFile;

    private DotnetTrace(Process process, string tool, string nettrace, string pidFile)
    {
        (_process, _tool, _nettrace, _pidFile) = (process, tool, nettrace, pidFile);
    }

    /// <summary>
    /// Starts <c>dotnet-trace collect</c> on <paramref name="pid"/>. It stops on SIGINT, which a shell running us in the
    /// background has set to be ignored (and children inherit that): <c>env --default-signal=INT</c> gives it back.
    /// </summary>
    public static async Task<DotnetTrace> StartAsync(string tool, int pid, string nettrace, string workDirectory)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["--default-signal=INT", tool, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture),
                     "--profile", "dotnet-sampled-thread-time", "-o", nettrace])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-trace.");
        var pidFile = Path.Combine(workDirectory, "dotnet-trace.pid");
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        _ = process.StandardOutput.ReadToEndAsync();
        await Task.Delay(2000); // the session is up before the work starts
        return new DotnetTrace(process, tool, nettrace, pidFile);
    }

    /// <summary>Stops the session (Ctrl+C, SIGINT), waits for the trace to be written, converts it; returns the speedscope file.</summary>
    public async Task<string> StopAsync()
    {
        await Shell.RunAsync("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        _process.Dispose();
        File.Delete(_pidFile);
        await Shell.RunAsync(_tool, ["convert", _nettrace, "--format", "Speedscope", "-o", _nettrace], check: false);
        return Path.ChangeExtension(_nettrace, ".speedscope.json");
    }
}
