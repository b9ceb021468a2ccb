using System.Diagnostics;

namespace Rapport.Bench;

/// <summary>Runs the command-line tools the ceilings are measured with (sqlite3, psql, pg_dump) and times them.</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>, feeding <paramref name="input"/> on stdin; throws when it fails.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, string? input = null, IReadOnlyDictionary<string, string>? environment = null,
        bool check = true, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), ct);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        clock.Stop();
        var result = new Result(process.ExitCode, await output, await error, clock.Elapsed);
        if (check && (result.ExitCode != 0 || result.Error.Contains("Error", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({result.ExitCode}): {Tail(result.Error)}{Tail(result.Output)}");
        }

        return result;
    }

    public static async Task<string?> VersionAsync(string file, params string[] arguments)
    {
        try
        {
            return (await RunAsync(file, arguments, check: false)).Output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Tail(string text) => text.Length > 2000 ? "…" + text[^2000..] : text;
}
