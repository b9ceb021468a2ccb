using System.Globalization;

namespace Rapport.Bench;

/// <summary>The command line of <c>Rapport.Bench</c> (normally given by <c>scripts/bench-import.sh</c>).</summary>
public sealed class BenchOptions
{
    public const int DefaultRows = 1_000_000;
    /// <summary>Rapport's import runs at a few hundred rows a second here today: a bigger file would not fit the suite's time.</summary>
    public const int DefaultImportRows = 1_000;

    public int Rows { get; private set; } = DefaultRows;
    /// <summary>sqlite, postgres, or both.</summary>
    public IReadOnlyList<string> Databases { get; private set; } = ["sqlite", "postgres"];
    /// <summary>Runs per figure (the median is reported): three, or one from a million rows on.</summary>
    public int Runs { get; private set; }
    public ulong Seed { get; private set; } = Generator.ContactSet.DefaultSeed;
    /// <summary>Scratch space: generated files, databases, server logs.</summary>
    public string WorkDirectory { get; private set; } = Path.Combine(Path.GetTempPath(), "rapport-bench");
    /// <summary>The Release build output of Rapport.Web.</summary>
    public string WebDirectory { get; private set; } = "";
    public string PostgresHost { get; private set; } = "127.0.0.1";
    public int PostgresPort { get; private set; } = 5432;
    public string PostgresUser { get; private set; } = "rapport";
    /// <summary>The markdown file whose benchmark section is replaced with this run's table (none: print only).</summary>
    public string? Markdown { get; private set; }
    /// <summary>Also run one smaller, logged import per database and break down where its time goes.</summary>
    public bool Profile { get; private set; }
    /// <summary>The dotnet-trace tool, for the profile's time per phase (without it the profile counts SQL commands only).</summary>
    public string? DotnetTrace { get; private set; }
    /// <summary>Seconds of load per wrk or pgbench run (issue 6's throughput workloads); list and search queries get a seventh of it.</summary>
    public int Duration { get; private set; } = 15;
    /// <summary>Rows of the file issue 6's suite imports through Rapport (its import workload); 0 leaves the import out.</summary>
    public int ImportRows { get; private set; } = DefaultImportRows;
    /// <summary>Leave the databases in place at the end (with the script's scratch folder).</summary>
    public bool Keep { get; private set; }
    /// <summary>When the calling script started (its wall time includes the build), else when this program did.</summary>
    public DateTimeOffset Started { get; private set; } = DateTimeOffset.UtcNow;
    public string Commit { get; private set; } = "";
    public string CommandLine { get; private set; } = "";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--rows": options.Rows = int.Parse(Value().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture); break;
                case "--db":
                    var db = Value();
                    options.Databases = db switch
                    {
                        "both" => ["sqlite", "postgres"],
                        "sqlite" or "postgres" => [db],
                        _ => throw new ArgumentException("--db is sqlite, postgres or both."),
                    };
                    break;
                case "--runs": options.Runs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seed": options.Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--work": options.WorkDirectory = Path.GetFullPath(Value()); break;
                case "--web": options.WebDirectory = Path.GetFullPath(Value()); break;
                case "--pg-host": options.PostgresHost = Value(); break;
                case "--pg-port": options.PostgresPort = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--pg-user": options.PostgresUser = Value(); break;
                case "--markdown": options.Markdown = Path.GetFullPath(Value()); break;
                case "--profile": options.Profile = true; break;
                case "--dotnet-trace": options.DotnetTrace = Path.GetFullPath(Value()); break;
                case "--duration": options.Duration = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--import-rows": options.ImportRows = int.Parse(Value().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture); break;
                case "--keep": options.Keep = true; break;
                case "--started": options.Started = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--commit": options.Commit = Value(); break;
                case "--command": options.CommandLine = Value(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (options.Rows < 100)
        {
            throw new ArgumentException("--rows must be at least 100.");
        }

        if (options.Duration < 1)
        {
            throw new ArgumentException("--duration is at least 1 second.");
        }

        options.Runs = options.Runs > 0 ? options.Runs : options.Rows >= DefaultRows ? 1 : 3;
        return options;
    }

    /// <summary>The duration of one list or search measurement (one connection: latency, not throughput).</summary>
    public TimeSpan QueryDuration => TimeSpan.FromSeconds(Math.Max(2, Duration / 7));

    /// <summary>The same options for another number of rows and runs (the suite's import of a smaller file).</summary>
    public BenchOptions With(int rows, int runs)
    {
        var copy = (BenchOptions)MemberwiseClone();
        copy.Rows = rows;
        copy.Runs = runs;
        return copy;
    }
}
