using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 5's benchmark, per database and run: the ceiling (the same contacts as plain rows, loaded by the database's own
/// tool into a copy of Rapport's tables, then the raw forms of a duplicate check and an export), then Rapport (a fresh
/// database and server: sign up, default country CN, the two custom fields, the import, the same file again, the export).
/// </summary>
public sealed class ImportWorkload(BenchOptions options, string dataDirectory, ContactSetSummary data, Results results)
{
    public const string Import = "import (create)";
    public const string ImportWithoutForeignKeys = "import, against \\copy without foreign keys";
    public const string Reimport = "re-import (all duplicates)";
    public const string Export = "export CSV";
    private static readonly Goal ImportGoal = new(0.5, 300 * Goal.Megabyte);
    private static readonly Goal MemoryGoal = new(MaxPeakBytes: 300 * Goal.Megabyte);

    private string ImportFile => Path.Combine(dataDirectory, ContactSet.ImportFile);

    /// <summary>Rapport.Web's resident memory per database and run: started and signed up (idle), and once the import has finished.</summary>
    public List<(string Database, long Idle, long AfterImport)> Footprints { get; } = [];

    public async Task RunAsync(BenchDatabase db)
    {
        Say($"{db.Name}: cloning Rapport's schema for the ceiling");
        await db.PrepareAsync();
        for (var run = 1; run <= options.Runs; run++)
        {
            var ceiling = await CeilingAsync(db, run);
            await RapportAsync(db, run, ceiling);
        }
    }

    private sealed record CeilingRates(double Import, double Lookup, double Export, TableCounts Counts, double? ImportWithoutForeignKeys);

    private async Task<CeilingRates> CeilingAsync(BenchDatabase db, int run)
    {
        var ceiling = await db.NewCeilingAsync($"ceiling_{run}");
        try
        {
            var load = await ceiling.LoadAsync(Path.Combine(dataDirectory, "ceiling", db.Name));
            var counts = await ceiling.CountsAsync();
            var (lookup, found) = await ceiling.LookUpKeysAsync(Path.Combine(dataDirectory, ContactSet.KeysFile));
            var export = await ceiling.ExportAsync();
            if (counts.Contacts != data.Valid || found != data.Valid + data.Duplicates)
            {
                throw new InvalidOperationException($"The ceiling loaded {counts} and found {found} keys; expected {data.Valid} contacts and {data.Valid + data.Duplicates} keys.");
            }

            var rates = new CeilingRates(counts.Contacts / load.TotalSeconds, data.Rows / lookup.TotalSeconds, counts.Contacts / export.TotalSeconds, counts,
                await LoadWithoutForeignKeysAsync(db, run));
            var bare = rates.ImportWithoutForeignKeys is { } b ? string.Create(CultureInfo.InvariantCulture, $"; without foreign keys {b:N0} contacts/s") : "";
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{db.Name} run {run} ceiling: load {load.TotalSeconds:F2} s ({rates.Import:N0} contacts/s; {counts.Rows:N0} rows in 4 tables), key look-up {lookup.TotalSeconds:F2} s, export {export.TotalSeconds:F2} s{bare}"));
            return rates;
        }
        finally
        {
            await ceiling.DropAsync();
        }
    }

    /// <summary>The ceiling's load into the same tables without their foreign keys (contacts/s), where the ceiling checks them.</summary>
    private async Task<double?> LoadWithoutForeignKeysAsync(BenchDatabase db, int run)
    {
        if (await db.NewCeilingWithoutForeignKeysAsync($"ceiling_bare_{run}") is not { } bare)
        {
            return null;
        }

        try
        {
            var load = await bare.LoadAsync(Path.Combine(dataDirectory, "ceiling", db.Name));
            return (await bare.CountsAsync()).Contacts / load.TotalSeconds;
        }
        finally
        {
            await bare.DropAsync();
        }
    }

    private async Task RapportAsync(BenchDatabase db, int run, CeilingRates ceiling)
    {
        var database = db.NewRapport($"rapport_{run}");
        await database.ResetAsync();
        try
        {
            await using var server = await RapportServer.StartAsync(options, $"{db.Name}-{run}", database.Settings);
            using var client = new RapportClient(server.Address);
            await client.SignUpAsync(ContactSet.DefaultCountry);
            await client.CreateCustomFieldsAsync();
            var idle = server.Memory.Current();

            server.Memory.Start();
            var import = await client.ImportAsync(ImportFile);
            var importPeak = await server.Memory.StopAsync();
            Footprints.Add((db.Name, idle, server.Memory.Current()));
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{db.Name} run {run} Rapport import: {import.Elapsed.TotalSeconds:F1} s, {import.Rows / import.Elapsed.TotalSeconds:N0} rows/s " +
                $"(created {import.Created}, skipped {import.Skipped}, failed {import.Failed}), peak RSS {importPeak / Goal.Megabyte} MB"));
            Expect(import, data.Valid, data.Duplicates, data.Invalid, "import");
            if (run == 1)
            {
                var written = await database.CountsAsync();
                var note = $"{db.Name}: Rapport's import wrote {written}; the ceiling loads {ceiling.Counts}. " +
                           $"Rapport.Web's resident memory before the import (started, signed up): {idle / Goal.Megabyte} MB.";
                Say(note);
                results.Notes.Add(note);
            }

            server.Memory.Start();
            var again = await client.ImportAsync(ImportFile);
            var againPeak = await server.Memory.StopAsync();
            Say(string.Create(CultureInfo.InvariantCulture, $"{db.Name} run {run} Rapport re-import: {again.Elapsed.TotalSeconds:F1} s, {again.Rows / again.Elapsed.TotalSeconds:N0} rows/s"));
            Expect(again, 0, data.Valid + data.Duplicates, data.Invalid, "re-import");

            server.Memory.Start();
            var (lines, exported) = await client.ExportAsync();
            var exportPeak = await server.Memory.StopAsync();
            Say(string.Create(CultureInfo.InvariantCulture, $"{db.Name} run {run} Rapport export: {lines} rows in {exported.TotalSeconds:F1} s"));
            if (lines != data.Valid)
            {
                throw new InvalidOperationException($"The export held {lines} rows; {data.Valid} contacts were imported.");
            }

            if (server.Warnings() is { Count: > 0 } warnings)
            {
                var note = $"{db.Name} run {run}: Rapport.Web logged {string.Join("; ", warnings.Distinct().Take(5))}";
                Say(note);
                results.Notes.Add(note);
            }

            results.Add(new Sample(Import, db.Name, ceiling.Import, import.Rows / import.Elapsed.TotalSeconds, importPeak), ImportGoal);
            if (ceiling.ImportWithoutForeignKeys is { } bare)
            {
                results.Add(new Sample(ImportWithoutForeignKeys, db.Name, bare, import.Rows / import.Elapsed.TotalSeconds, importPeak), new Goal());
            }

            results.Add(new Sample(Reimport, db.Name, ceiling.Lookup, again.Rows / again.Elapsed.TotalSeconds, againPeak), MemoryGoal);
            results.Add(new Sample(Export, db.Name, ceiling.Export, lines / exported.TotalSeconds, exportPeak), MemoryGoal);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    private static void Expect(RapportClient.ImportResult result, long created, long skipped, long failed, string what)
    {
        if ((result.Created, result.Skipped, result.Failed) != (created, skipped, failed))
        {
            throw new InvalidOperationException(
                $"The {what} created {result.Created}, skipped {result.Skipped}, failed {result.Failed}; the file describes {created}, {skipped} and {failed}.");
        }
    }

    private static void Say(string message) => Console.Error.WriteLine($"[bench] {message}");
}
