using System.Diagnostics;
using System.Net.Sockets;
using System.Net;

namespace Rapport.Bench.Server;

/// <summary>
/// Rapport.Web built in Release, run as its own process (<c>dotnet Rapport.Web.dll</c>, content root = the build output, so
/// no static assets are needed) on a free loopback port, against the database the caller names. Its log goes to a file.
/// </summary>
public sealed class RapportServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _pidFile;
    private readonly StreamWriter _log;
    private readonly Task[] _pumps;
    private int _linesAtStart;
    private bool _disposed;

    private RapportServer(Process process, Uri address, string pidFile, string log)
    {
        _process = process;
        _log = new StreamWriter(log) { AutoFlush = true };
        _pumps = [Pump(process.StandardOutput, _log), Pump(process.StandardError, _log)];
        Address = address;
        _pidFile = pidFile;
        Log = log;
        Memory = new ProcessMemory(process.Id);
    }

    public Uri Address { get; }
    public string Log { get; }
    public int ProcessId => _process.Id;
    public ProcessMemory Memory { get; }

    /// <param name="settings">Configuration as <c>--Key=value</c> arguments (database provider, connection string, data directory…).</param>
    public static async Task<RapportServer> StartAsync(BenchOptions options, string name, IEnumerable<string> settings)
    {
        var port = FreePort();
        var log = Path.Combine(options.WorkDirectory, $"rapport-{name}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WebDirectory,
        };
        foreach (var argument in (string[])[Path.Combine(options.WebDirectory, "Rapport.Web.dll"), "--contentRoot", options.WebDirectory,
                     $"--urls=http://127.0.0.1:{port}", "--Rapport:AllowSignup=true", "--Serilog:MinimumLevel:Override:Microsoft.AspNetCore=Warning",
                     "--Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Warning", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Rapport.Web.");
        var pidFile = Path.Combine(options.WorkDirectory, $"rapport-{name}.pid");
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var server = new RapportServer(process, new Uri($"http://127.0.0.1:{port}"), pidFile, log);
        using var http = new HttpClient { BaseAddress = server.Address };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Rapport.Web stopped at start-up (exit {process.ExitCode}); see {log}.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    server._linesAtStart = server.Lines().Count;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(3))
            {
                await server.DisposeAsync();
                throw new TimeoutException($"Rapport.Web did not answer /health within 3 minutes; see {log}.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Warnings and errors the server logged since it started answering, without their time stamps.</summary>
    public IReadOnlyList<string> Warnings() =>
    [
        .. Lines().Skip(_linesAtStart)
            .Where(l => l.Contains(" WRN] ", StringComparison.Ordinal) || l.Contains(" ERR] ", StringComparison.Ordinal) || l.Contains(" FTL] ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim()),
    ];

    private List<string> Lines()
    {
        lock (_log)
        {
            return [.. File.ReadLines(Log)];
        }
    }

    /// <summary>Stops the server; again is a no-op (a workload's <c>finally</c> may meet a server it already stopped, when its restart failed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await Task.WhenAll(_pumps);
        await _log.DisposeAsync();
        File.Delete(_pidFile);
        _process.Dispose();
    }

    private static async Task Pump(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
