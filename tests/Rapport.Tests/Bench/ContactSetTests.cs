using System.Text;
using Rapport.Bench.Generator;

namespace Rapport.Tests.Bench;

/// <summary>
/// The import benchmark's data generator (bench/Rapport.Bench): a seed fixes every byte, so runs, machines and the ceiling
/// all measure the same rows. The benchmark itself is not a test (scripts/bench-import.sh); this only keeps its data honest.
/// </summary>
public sealed class ContactSetTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rapport-contactset-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_other_ones()
    {
        var summary = ContactSet.Write(Path.Combine(_root, "a"), 100);
        ContactSet.Write(Path.Combine(_root, "b"), 100);
        ContactSet.Write(Path.Combine(_root, "c"), 100, seed: 7);

        var files = Files("a");
        Assert.Equal(11, files.Count); // import file, keys, summary, four ceiling tables for each database
        Assert.Equal(files, Files("b"));
        Assert.NotEqual(files[ContactSet.ImportFile], Files("c")[ContactSet.ImportFile]);

        var lines = Encoding.UTF8.GetString(files[ContactSet.ImportFile]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(101, lines.Length);
        Assert.Equal(string.Join(',', ContactSet.Headers), lines[0]);
        Assert.Equal(100, summary.Valid + summary.Invalid + summary.Duplicates);
        Assert.Equal(summary.Valid, summary.CeilingRows["customers_contacts"]);
    }

    private Dictionary<string, byte[]> Files(string set)
    {
        var directory = Path.Combine(_root, set);
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
