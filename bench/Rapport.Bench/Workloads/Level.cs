using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// One data size on one database, ready to measure: a database Rapport migrated and signed up in (default country CN,
/// the custom fields tier and a sortable score), the generated contacts loaded into it with the ceiling's loaders (far
/// faster than Rapport's import, which has its own workload), Rapport.Web running on it, and the contacts' ids in a file.
/// </summary>
public sealed class Level : IAsyncDisposable
{
    private Level(BenchOptions options, BenchDatabase engine, RapportDatabase database, int rows, string name)
    {
        Options = options;
        Engine = engine;
        Database = database;
        Rows = rows;
        Name = name;
    }

    public BenchOptions Options { get; }
    public BenchDatabase Engine { get; }
    public RapportDatabase Database { get; }
    public int Rows { get; }
    public string Name { get; }
    public bool Sqlite => Engine.Name == "sqlite";
    public RapportServer Server { get; private set; } = null!;
    public RapportClient Client { get; private set; } = null!;
    public Guid Workspace { get; private set; }
    public Guid User { get; private set; }
    /// <summary>One contact id a line (lower case), for wrk's random reads.</summary>
    public string IdsFile { get; private set; } = "";
    /// <summary>The workspace id as the database stores it (SQLite: upper-case text; PostgreSQL: uuid).</summary>
    public object WorkspaceParameter => Sqlite ? Workspace.ToString().ToUpperInvariant() : Workspace;

    /// <param name="dataDirectory">Where <see cref="ContactSet.Write"/> wrote the set of <paramref name="rows"/> contacts.</param>
    public static async Task<Level> LoadAsync(BenchOptions options, BenchDatabase engine, int rows, string dataDirectory)
    {
        var name = $"bench_{rows}";
        var level = new Level(options, engine, engine.NewRapport(name), rows, name);
        await level.Database.ResetAsync();
        await level.StartAsync();
        await level.Client.SignUpAsync(ContactSet.DefaultCountry);
        await level.Client.CreateCustomFieldsAsync(sortableScore: true);
        (level.Workspace, level.User) = await level.Database.MemberAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await level.Database.LoadContactsAsync(Path.Combine(dataDirectory, "ceiling", engine.Name), level.Workspace, level.User);
        var ids = (await level.Database.QueryAsync("SELECT id FROM customers_contacts;")).ToLowerInvariant();
        level.IdsFile = Path.Combine(options.WorkDirectory, $"ids-{engine.Name}-{rows}.txt");
        await File.WriteAllTextAsync(level.IdsFile, ids);
        Say(string.Create(CultureInfo.InvariantCulture,
            $"{engine.Name}: {ids.Count(c => c == '\n'):N0} contacts loaded into Rapport's database {name} in {clock.Elapsed.TotalSeconds:F1} s"));
        return level;
    }

    /// <summary>Starts Rapport.Web on the database (again), with extra settings (the SQL log), and a client signed in with the same token.</summary>
    public async Task StartAsync(params string[] settings)
    {
        var token = Client?.Token;
        await StopAsync();
        Server = await RapportServer.StartAsync(Options, $"{Engine.Name}-{Rows}{(settings.Length > 0 ? "-logged" : "")}", [.. Database.Settings, .. settings]);
        Client = new RapportClient(Server.Address);
        if (token is not null)
        {
            Client.UseToken(token);
        }
    }

    private BareSqliteProcess? _bare;

    /// <summary>The SQLite ceilings' bare endpoint on this level's database file, started on first use, stopped with the level.</summary>
    public async Task<Uri> BareSqliteAsync()
    {
        _bare ??= await BareSqliteProcess.StartAsync(Options, Database.DatabaseFile!, Workspace, User);
        return _bare.Address;
    }

    public async Task StopAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>wrk's variables for Rapport: the token and the path its script completes.</summary>
    public Dictionary<string, string> WrkVariables(string prefix) => new() { ["BENCH_TOKEN"] = Client.Token, ["BENCH_PREFIX"] = prefix, ["BENCH_IDS"] = IdsFile };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_bare is not null)
        {
            await _bare.DisposeAsync();
        }

        if (!Options.Keep)
        {
            await Database.DropAsync();
        }
    }

    public static void Say(string message) => Console.Error.WriteLine($"[bench] {message}");
}
