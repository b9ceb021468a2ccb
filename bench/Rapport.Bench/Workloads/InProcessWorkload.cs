using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using Perfolizer.Horology;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PhoneNumbers;
using Rapport.Bench.Reporting;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Pieces of the request and import paths timed in-process with BenchmarkDotNet (its short job, in this process), each
/// against the bare work it wraps: Rapport's phone normalization against the phone library's own parse and format, the
/// list filter's compilation against parsing its JSON, a contact name's search text against lower-casing it, and a
/// quote's totals against the same sums without rounding. No goals: the lines show what each piece costs.
/// </summary>
public sealed class InProcessWorkload(Scoreboard board)
{
    private const string Database = "in-process";

    public async Task RunAsync()
    {
        await Console.Error.WriteLineAsync("[bench] in-process pieces (BenchmarkDotNet, short job)");
        var config = ManualConfig.CreateEmpty()
            // The short job with 100 ms iterations: the pieces take microseconds, and the suite stays within its minutes.
            .AddJob(Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(100)).WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(NullLogger.Instance)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<Pieces>(config);
        var medians = summary.Reports.Where(r => r.ResultStatistics is not null)
            .ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Median / 1000); // ns → µs
        foreach (var (line, rapport, ceiling) in new[]
                 {
                     ("in-process: 4 phone numbers to E.164", nameof(Pieces.RapportPhones), nameof(Pieces.LibraryPhones)),
                     ("in-process: list filter compiled", nameof(Pieces.RapportFilter), nameof(Pieces.JsonParse)),
                     ("in-process: search text of a name", nameof(Pieces.RapportSearchText), nameof(Pieces.LowerCase)),
                     ("in-process: quote totals, 20 lines", nameof(Pieces.RapportQuote), nameof(Pieces.PlainSums)),
                 })
        {
            if (medians.TryGetValue(rapport, out var value) && medians.TryGetValue(ceiling, out var bare))
            {
                board.Add(new Figure(line, Database, "µs", bare, value, Target.None));
            }
        }
    }

    /// <summary>The timed pieces; public instance methods, as BenchmarkDotNet wants them.</summary>
#pragma warning disable CA1822
    public class Pieces
    {
        private static readonly string[] Phones = ["+86 138 1234 5678", "138-1234-5678", "0086 139 8765 4321", "(415) 555-0123"];
        private static readonly PhoneNumberUtil Library = PhoneNumberUtil.GetInstance();
        private const string Filter = """{"and":[{"field":"lastName","op":"startsWith","value":"王"},{"field":"createdAt","op":"gte","value":"2026-01-01T00:00:00Z"}]}""";
        private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
        private static readonly string[] Name = ["王小明", "Wang Xiaoming", "Zoë O'Brien"];
        private static readonly QuoteArithmetic.Line[] Lines =
            [.. Enumerable.Range(1, 20).Select(i => new QuoteArithmetic.Line(i, 19.99m * i, i % 3 * 5m, i % 2 == 0 ? 13m : 6m))];

        [Benchmark]
        public object RapportPhones() => ContactPhones.Normalize(Phones, "CN");

        [Benchmark]
        public object LibraryPhones() =>
            Phones.Select(p => Library.Format(Library.Parse(p, p.StartsWith('(') ? "US" : "CN"), PhoneNumberFormat.E164)).ToList();

        [Benchmark]
        public object RapportFilter() => FilterCompiler.Compile(Filter, ListContacts.Fields, Now);

        [Benchmark]
        public object JsonParse()
        {
            using var document = JsonDocument.Parse(Filter);
            return document.RootElement.GetProperty("and").GetArrayLength();
        }

        [Benchmark]
        public string RapportSearchText() => SearchText.Build(SearchFieldKind.Text, Name);

        [Benchmark]
        public string LowerCase() => string.Join(' ', Name).ToLowerInvariant();

        [Benchmark]
        public object RapportQuote() => QuoteArithmetic.Compute("CNY", Lines);

        [Benchmark]
        public decimal PlainSums() => Lines.Sum(l => l.Quantity * l.UnitPrice * (1 - l.DiscountPercent / 100) * (1 + l.TaxRatePercent / 100));
    }
}
#pragma warning restore CA1822
