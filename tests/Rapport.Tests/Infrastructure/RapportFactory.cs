using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Security;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// Boots the real host on a temp SQLite file, or on a fresh database of the PostgreSQL server
/// named by <c>RAPPORT_TEST_POSTGRES</c> (scripts/test.sh starts one), and drops it afterwards.
/// Mail goes to the SMTP sink named by <c>RAPPORT_TEST_SMTP</c> when there is one.
/// </summary>
public sealed class RapportFactory : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "rapport-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgresDatabase;
    private readonly Dictionary<string, string?> _settings;

    public RapportFactory(string provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        _settings = new Dictionary<string, string?>
        {
            ["Rapport:DataDirectory"] = _dataDirectory,
            ["Rapport:AllowSignup"] = "true",
            ["Rapport:RateLimits:SignInPerMinute"] = "100000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestMail.HostSettings())
        {
            _settings[key] = value;
        }

        if (provider == TestDatabases.Postgres)
        {
            _postgresDatabase = "rapport_test_" + Guid.NewGuid().ToString("N")[..12];
            _settings["Database:Provider"] = "Postgres";
            _settings["Database:ConnectionString"] = TestDatabases.PostgresConnectionString(_postgresDatabase);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Provider { get; }

    /// <summary>SQL statements the host sent, per workspace.</summary>
    public StatementCounter Statements { get; } = new();

    /// <summary>Links in mails and API answers start with this (the default <c>Rapport:PublicBaseUrl</c>), whatever Host header a request sent.</summary>
    public const string PublicBaseUrl = "http://localhost:5080";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Records every merge participant call, so tests see that merges call each registered participant; counts statements;
        // runs the scripted jobs of the job tests.
        builder.ConfigureServices(s => s.AddScoped<IRecordMergeParticipant, RecordingMergeParticipant>()
            .AddJobHandler<ScriptedJob>(ScriptedJob.Kind)
            .ConfigureDbContext<RapportDbContext>(o => o.AddInterceptors(Statements)));
    }

    /// <summary>A scope acting in <paramref name="workspaceId"/> without a user, for asserting on the database.</summary>
    public AsyncServiceScope WorkspaceScope(Guid workspaceId, out RapportDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
        db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        return scope;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(TestDatabases.PostgresConnectionString("postgres"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
