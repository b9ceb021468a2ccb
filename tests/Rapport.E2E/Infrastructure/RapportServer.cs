using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Rapport.E2E.Infrastructure;

/// <summary>
/// The built web app as a child process (<c>dotnet Rapport.Web.dll</c>) on a free loopback port. The shared server of a
/// test run gets a fresh data directory; SQLite by default, a fresh PostgreSQL database when
/// <c>RAPPORT_E2E_DATABASE=postgres</c> and <c>RAPPORT_TEST_POSTGRES</c> are set. A test may also start servers of its own
/// on a <see cref="ServerData"/> with extra settings, kill one hard and start another on the same data.
/// </summary>
public sealed class RapportServer : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly ServerData? _ownData;

    private RapportServer(Process process, StringBuilder output, Uri baseAddress, string database, ServerData? ownData)
    {
        _process = process;
        _output = output;
        _ownData = ownData;
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

    /// <summary>The shared server of a test run, on data of its own that goes with it.</summary>
    public static async Task<RapportServer> StartAsync(CancellationToken ct)
    {
        var data = ServerData.Create(PostgresServer() is not null ? ServerData.Postgres : ServerData.Sqlite);
        try
        {
            return await StartAsync(data, new Dictionary<string, string>(), ownData: true, ct);
        }
        catch
        {
            await data.DisposeAsync();
            throw;
        }
    }

    /// <summary>A server on <paramref name="data"/> (which outlives it) with extra settings as environment variables (<c>Rapport__Jobs__LeaseSeconds</c>…).</summary>
    public static Task<RapportServer> StartAsync(ServerData data, IReadOnlyDictionary<string, string> settings, CancellationToken ct) =>
        StartAsync(data, settings, ownData: false, ct);

    private static async Task<RapportServer> StartAsync(ServerData data, IReadOnlyDictionary<string, string> settings, bool ownData, CancellationToken ct)
    {
        var repoRoot = RepoRoot();
        var webDirectory = Path.Combine(repoRoot, "src", "Rapport.Web");
        var dll = Path.Combine(webDirectory, "bin", BuildConfiguration(), "net10.0", "Rapport.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution first (dotnet build Rapport.slnx -c {BuildConfiguration()}).");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
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
        start.Environment["Rapport__AllowSignup"] = "true";
        start.Environment["Rapport__RateLimits__SignInPerMinute"] = "100000"; // every test signs up from the same address
        data.Apply(start.Environment);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
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
        var server = new RapportServer(process, output, baseAddress, data.Database, ownData ? data : null);
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

    /// <summary>Ends the process and its children at once, as a crash or a power cut would: no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
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
            await KillAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone after 10 s: nothing more we can do here.
        }
        finally
        {
            _process.Dispose();
        }

        if (_ownData is not null)
        {
            await _ownData.DisposeAsync();
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
            ? ServerData.PostgresServer ?? throw new InvalidOperationException("RAPPORT_E2E_DATABASE=postgres needs RAPPORT_TEST_POSTGRES (an Npgsql connection string).")
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

/// <summary>
/// What a server keeps between runs: a data directory (the SQLite file, uploaded files) and, on PostgreSQL, a database of
/// its own (<c>rapport_e2e_&lt;guid&gt;</c>, created by the app when it migrates). Removed when disposed.
/// </summary>
public sealed class ServerData : IAsyncDisposable
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    private ServerData(string database, string directory, string? postgresDatabase)
    {
        Database = database;
        Directory = directory;
        PostgresDatabase = postgresDatabase;
    }

    /// <summary><see cref="Sqlite"/> or <see cref="Postgres"/>.</summary>
    public string Database { get; }

    public string Directory { get; }

    public string? PostgresDatabase { get; }

    /// <summary>The PostgreSQL server of the tests (<c>RAPPORT_TEST_POSTGRES</c>, an Npgsql connection string whose user may create databases), if any.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("RAPPORT_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static ServerData Create(string database)
    {
        if (database == Postgres && PostgresServer is null)
        {
            throw new InvalidOperationException("A PostgreSQL server needs RAPPORT_TEST_POSTGRES (an Npgsql connection string).");
        }

        return new ServerData(database, System.IO.Directory.CreateTempSubdirectory("rapport-e2e-").FullName, database == Postgres ? $"rapport_e2e_{Guid.NewGuid():N}" : null);
    }

    internal void Apply(IDictionary<string, string?> environment)
    {
        environment["Rapport__DataDirectory"] = Directory;
        if (PostgresDatabase is not null)
        {
            environment["Database__Provider"] = "Postgres";
            environment["Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = PostgresDatabase }.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open: the temp folder is left for the OS to clean.
        }

        if (PostgresDatabase is not null && PostgresServer is { } postgres)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ToString());
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{PostgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
