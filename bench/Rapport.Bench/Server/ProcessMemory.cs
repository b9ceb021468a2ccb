using System.Globalization;

namespace Rapport.Bench.Server;

/// <summary>
/// Peak resident memory of a process during a workload: Linux's high-water mark <c>VmHWM</c> from <c>/proc/&lt;pid&gt;/status</c>,
/// reset at the workload's start (writing 5 to <c>/proc/&lt;pid&gt;/clear_refs</c>), and a sample of <c>VmRSS</c> every 100 ms
/// in case the reset is not allowed. Also the process's CPU time (<c>/proc/&lt;pid&gt;/stat</c>).
/// </summary>
public sealed class ProcessMemory(int pid)
{
    private long _sampled;
    private bool _reset;
    private volatile bool _sampling;
    private Task? _sampler;

    /// <summary>Starts a new peak: from now on, the highest resident set seen.</summary>
    public void Start()
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            _reset = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _reset = false;
        }

        _sampled = Read("VmRSS");
        _sampling = true;
        _sampler = Task.Run(async () =>
        {
            while (_sampling)
            {
                _sampled = Math.Max(_sampled, Read("VmRSS"));
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
    }

    /// <summary>Stops sampling and returns the peak resident set in bytes since <see cref="Start"/>.</summary>
    public async Task<long> StopAsync()
    {
        _sampling = false;
        await (_sampler ?? Task.CompletedTask);
        return Math.Max(_sampled, _reset ? Read("VmHWM") : 0);
    }

    /// <summary>The resident set now, in bytes.</summary>
    public long Current() => Read("VmRSS");

    /// <summary>User plus system CPU time the process used so far.</summary>
    public TimeSpan CpuTime() => CpuTimeOf(pid);

    /// <summary>User plus system CPU time process <paramref name="processId"/> used so far (zero when it is gone).</summary>
    public static TimeSpan CpuTimeOf(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    private long Read(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // the process ended
        }

        return 0;
    }
}
