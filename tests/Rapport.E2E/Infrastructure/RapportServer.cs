using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Rapport.E2E.Infrastructure;

/// <summary>
/// The built web app, started once per test run as a child process (<c>dotnet Rapport.Web.dll</c>) on a free
/// loopback port with a fresh data directory; SQLite by default, a fresh PostgreSQL database when
/// <c>RAPPORT_E2E_DATABASE=postgres</c> and <c>RAPPORT_TEST_POSTGRES</c> are set.
/// </summary>
public sealed class RapportServer : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _dataDirectory;
    private readonly string? _postgresDatabase;

    private RapportServer(Process process, StringBuilder output, string dataDirectory, Uri baseAddress, string database, string? postgresDatabase)
    {
        _process = process;
        _output = output;
        _dataDirectory = dataDirectory;
        _postgresDatabase = postgresDatabase;
        BaseAddress = baseAddress;
        Database = database;
    }

    public Uri BaseAddress { get; }

    /// <summary>"Sqlite" or "Postgres".</summary>
    public string Database { get; }

    /// <summary>Everything the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<RapportServer> StartAsync(CancellationToken ct)
    {
        var repoRoot = RepoRoot();
        var webDirectory = Path.Combine(repoRoot, "src", "Rapport.Web");
        var dll = Path.Combine(webDirectory, "bin", BuildConfiguration(), "net10.0", "Rapport.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution first (dotnet build Rapport.slnx -c {BuildConfiguration()}).");
        }

        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var dataDirectory = Directory.CreateTempSubdirectory("rapport-e2e-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Rapport__DataDirectory"] = dataDirectory;
        start.Environment["Rapport__AllowSignup"] = "true";
        start.Environment["Rapport__RateLimits__SignInPerMinute"] = "100000"; // every test signs up from the same address
        var database = "Sqlite";
        string? postgresDatabase = null;
        if (PostgresServer() is { } postgres)
        {
            // A database of its own; the app creates it when it migrates on start-up.
            database = "Postgres";
            postgresDatabase = $"rapport_e2e_{Guid.NewGuid():N}";
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { Database = postgresDatabase }.ToString();
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start dotnet " + dll);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RapportServer(process, output, dataDirectory, baseAddress, database, postgresDatabase);
        try
        {
            await server.WaitUntilHealthyAsync(ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        string? lastProblem = null;
        while (deadline.Elapsed < StartupTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Rapport.Web exited with code {_process.ExitCode} before /health answered.\n--- server output ---\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                lastProblem = $"/health answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                lastProblem = "/health timed out";
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"Rapport.Web did not answer 200 on {BaseAddress}health within {StartupTimeout.TotalSeconds:0} s (last: {lastProblem}).\n--- server output ---\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone after 10 s: nothing more we can do here.
        }
        finally
        {
            _process.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open: the temp folder is left for the OS to clean.
        }

        if (_postgresDatabase is not null && PostgresServer() is { } postgres)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The folder holding Rapport.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rapport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Rapport.slnx not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration this assembly was built with, read from its own output path (…/bin/Release/net10.0/).</summary>
    private static string BuildConfiguration()
    {
        var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(parts, "bin");
        return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
    }

    /// <summary>The server from RAPPORT_TEST_POSTGRES when RAPPORT_E2E_DATABASE=postgres asks for it; otherwise SQLite is used.</summary>
    private static string? PostgresServer() =>
        string.Equals(Environment.GetEnvironmentVariable("RAPPORT_E2E_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase)
            ? Environment.GetEnvironmentVariable("RAPPORT_TEST_POSTGRES") is { Length: > 0 } cs
                ? cs
                : throw new InvalidOperationException("RAPPORT_E2E_DATABASE=postgres needs RAPPORT_TEST_POSTGRES (an Npgsql connection string).")
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
