using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;

namespace Rapport.Kernel.Imports;

/// <summary>An import as the API shows it: its job's status and progress, the row counts, and its undo.</summary>
/// <param name="Progress">Percent of the file read (0–100).</param>
/// <param name="Sample">Dry runs: what the first rows would become.</param>
public sealed record ImportDto(
    Guid Id, string Entity, Guid CreatedBy, string FileName, string Format, string Mode, string Key, bool DryRun, IReadOnlyDictionary<string, string?> Mapping,
    string Status, int Progress, long Created, long Updated, long Skipped, long Failed, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    bool CanUndo, ImportUndoDto? Undo, JsonElement? Sample)
{
    public const int LeftAloneListed = 100;

    /// <summary>One import, with the records its undo left alone (the first <see cref="LeftAloneListed"/>).</summary>
    public static async Task<ImportDto?> LoadAsync(RapportDbContext db, Guid id, TimeProvider clock, CancellationToken ct)
    {
        var import = (await QueryAsync(db, db.Set<Import>().Where(i => i.Id == id), clock, ct)).SingleOrDefault();
        if (import?.Undo is not { LeftAlone: > 0 } undo)
        {
            return import;
        }

        var left = await db.Set<ImportRecord>().Where(r => r.ImportId == id && r.LeftAlone).OrderBy(r => r.RowNumber)
            .Select(r => r.RecordId).Take(LeftAloneListed).ToListAsync(ct);
        return import with { Undo = undo with { LeftAloneRecords = left } };
    }

    public static async Task<List<ImportDto>> QueryAsync(RapportDbContext db, IQueryable<Import> imports, TimeProvider clock, CancellationToken ct)
    {
        var rows = await imports
            .Join(db.Set<BackgroundJob>(), i => i.Id, j => j.Id, (i, j) => new { Import = i, Job = j })
            .GroupJoin(db.Set<BackgroundJob>(), x => x.Import.UndoJobId, u => (Guid?)u.Id, (x, u) => new { x.Import, x.Job, Undo = u })
            .SelectMany(x => x.Undo.DefaultIfEmpty(), (x, u) => new { x.Import, x.Job, Undo = u })
            .AsNoTracking().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return [.. rows.Select(r => new ImportDto(r.Import.Id, r.Import.EntityType, r.Import.CreatedBy, r.Import.FileName, r.Import.Format, r.Import.Mode, r.Import.Key, r.Import.DryRun,
            JsonSerializer.Deserialize<Dictionary<string, string?>>(r.Import.Mapping) ?? [],
            r.Job.Status, Percent(r.Job), r.Import.Created, r.Import.Updated, r.Import.Skipped, r.Import.Failed, r.Import.CreatedAt, r.Job.FinishedAt,
            r.Import.CanUndo(now) && r.Job.Status == JobStatuses.Completed,
            r.Undo is null ? null : new ImportUndoDto(r.Undo.Status, Percent(r.Undo), r.Import.UndoLeftAlone, [], r.Import.UndoneAt),
            r.Import.Sample is { } sample ? JsonDocument.Parse(sample).RootElement.Clone() : null))];
    }

    private static int Percent(BackgroundJob job) =>
        job.Status == JobStatuses.Completed ? 100 : job.Total is > 0 ? (int)Math.Min(99, job.Done * 100 / job.Total.Value) : 0;
}

/// <param name="LeftAlone">How many records the undo did not touch because someone changed them after the import.</param>
/// <param name="LeftAloneRecords">Their ids (the first 100, in file order; only when one import is read).</param>
public sealed record ImportUndoDto(string Status, int Progress, long LeftAlone, IReadOnlyList<Guid> LeftAloneRecords, DateTimeOffset? UndoneAt);
