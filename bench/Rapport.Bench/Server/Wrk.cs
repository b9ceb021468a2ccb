using System.Globalization;
using System.Text.Json;

namespace Rapport.Bench.Server;

/// <summary>What one <c>wrk</c> run measured: requests per second, latency percentiles (ms) and failed requests.</summary>
public sealed record WrkResult(long Requests, double Seconds, long SocketErrors, long StatusErrors, double P50, double P95, double P99)
{
    public double RequestsPerSecond => Requests / Seconds;

    /// <summary>Requests that failed or answered other than 2xx/3xx.</summary>
    public long Failed => SocketErrors + StatusErrors;
}

/// <summary>
/// Load from <c>wrk</c> (Debian's) on loopback, for a fixed time, driven by Lua scripts the benchmark writes: random ids
/// from a file (reads), unique bodies (creates), or a fixed list of paths taken in turn (lists, searches). Each script ends
/// with a <c>done</c> function printing one JSON line with the percentiles wrk measured.
/// </summary>
public sealed class Wrk(string workDirectory)
{
    private const string Marker = "BENCH-JSON ";

    /// <summary>Shared by every script: the bearer token, a per-thread number, and the summary line.</summary>
    private const string Common = """
        local token = os.getenv("BENCH_TOKEN") or ""
        local threads = 0
        setup = function(thread)
          threads = threads + 1
          thread:set("thread_number", threads)
        end
        local function authorize()
          if #token > 0 then wrk.headers["Authorization"] = "Bearer " .. token end
        end
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('BENCH-JSON {"requests":%d,"micros":%d,"socketErrors":%d,"statusErrors":%d,"p50":%d,"p95":%d,"p99":%d}\n',
            summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
            latency:percentile(50), latency:percentile(95), latency:percentile(99)))
        end

        """;

    /// <summary>GET BENCH_PREFIX + a random line of BENCH_IDS.</summary>
    private const string Read = Common + """
        local ids = {}
        local prefix = os.getenv("BENCH_PREFIX")
        init = function(args)
          for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
          math.randomseed(os.time() * 100 + thread_number)
          authorize()
        end
        request = function()
          return wrk.format("GET", prefix .. ids[math.random(#ids)])
        end
        """;

    /// <summary>GET each line of BENCH_PATHS in turn (each thread starting at its own line).</summary>
    private const string Paths = Common + """
        local paths = {}
        local next_path = 0
        init = function(args)
          for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
          next_path = thread_number
          authorize()
        end
        request = function()
          next_path = next_path % #paths + 1
          return wrk.format("GET", paths[next_path])
        end
        """;

    /// <summary>
    /// POST a new contact to BENCH_PREFIX: unique emails and phones per run (BENCH_RUN, below 100), thread and request (100,000 a thread); a Chinese
    /// name half of the time; the two custom fields. +86 170… is a mobile range the generated data set never uses.
    /// </summary>
    private const string Create = Common + """
        local run = tonumber(os.getenv("BENCH_RUN") or "0")
        local prefix = os.getenv("BENCH_PREFIX")
        local n = 0
        local tiers = { "bronze", "silver", "gold", "platinum" }
        init = function(args)
          authorize()
          wrk.headers["Content-Type"] = "application/json"
        end
        request = function()
          n = n + 1
          local tag = string.format("%d-%d-%d", run, thread_number, n)
          local first, last = "Bench", "Person " .. tag
          if n % 2 == 0 then first, last = "小明", "王" end
          local body = string.format('{"firstName":"%s","lastName":"%s","emails":["bench-%s@example.com"],"phones":["+86 170 %02d%d%d %04d"],' ..
            '"jobTitle":"Buyer","custom":{"tier":"%s","score":%d}}',
            first, last, tag, run % 100, thread_number % 10, math.floor(n / 10000) % 10, n % 10000, tiers[n % 4 + 1], n % 101)
          return wrk.format("POST", prefix, nil, body)
        end
        """;

    public enum Script { Read, Paths, Create }

    /// <param name="variables">BENCH_TOKEN, BENCH_PREFIX, BENCH_IDS, BENCH_PATHS, BENCH_RUN as the script needs.</param>
    public async Task<WrkResult> RunAsync(Uri server, Script script, int connections, TimeSpan duration, IReadOnlyDictionary<string, string> variables)
    {
        var file = Path.Combine(workDirectory, $"wrk-{script.ToString().ToLowerInvariant()}.lua");
        await File.WriteAllTextAsync(file, script switch { Script.Read => Read, Script.Paths => Paths, _ => Create });
        var threads = Math.Min(connections, Math.Max(1, Environment.ProcessorCount));
        var result = await Shell.RunAsync("wrk",
            ["-t", Text(threads), "-c", Text(connections), "-d", Text((int)Math.Ceiling(duration.TotalSeconds)) + "s", "--latency", "--timeout", "10s",
                "-s", file, server.ToString()],
            environment: variables.ToDictionary());
        return Parse(result.Output);
    }

    /// <summary>Reads the summary line of the scripts' <c>done</c> function (latencies in microseconds).</summary>
    public static WrkResult Parse(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"wrk printed no summary line: {output}");
        using var json = JsonDocument.Parse(line[Marker.Length..]);
        var root = json.RootElement;
        double Ms(string name) => root.GetProperty(name).GetInt64() / 1000.0;
        return new WrkResult(root.GetProperty("requests").GetInt64(), root.GetProperty("micros").GetInt64() / 1e6,
            root.GetProperty("socketErrors").GetInt64(), root.GetProperty("statusErrors").GetInt64(), Ms("p50"), Ms("p95"), Ms("p99"));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
