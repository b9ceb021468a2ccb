using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Runs an import: reads the file as a stream, and for every batch of rows matches keys, checks each row through the
/// entity's use cases and records the outcome, the counts and the row reached — all in one transaction. The records a
/// batch creates are saved together; should the database refuse that save (a unique value two rows of the batch both
/// bring in), the batch is rolled back and done again one row and one save at a time, so each row gets its own answer.
/// A create-only import checks the next batch while the database writes the current one. A crash loses at most the
/// batches in flight, which the next run does again; a dry run rolls every batch back and keeps only its findings.
/// </summary>
public sealed class ImportJob(ImportFiles files, TimeProvider clock) : IJobHandler
{
    public const int BatchSize = 500;
    /// <summary>SQLite has one writer at a time and a batch holds it to its commit; between batches the job lets waiting writers in first.</summary>
    public const int SqliteBatchSize = 250;

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        Import import;
        bool sqlite;
        await using (var scope = job.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            sqlite = db.IsSqlite;
            import = await db.Set<Import>().SingleAsync(i => i.Id == job.JobId, ct);
            if (import.CompletedAt is not null)
            {
                return;
            }

            if (import.DryRun && import.LastRow > 0)
            {
                // A dry run's findings depend on rows it rolled back: it starts over rather than resuming.
                import.Restart();
                await db.Set<ImportError>().Where(e => e.ImportId == import.Id).ExecuteDeleteAsync(ct);
                await db.SaveChangesAsync(ct);
            }
        }

        var mapping = JsonSerializer.Deserialize<Dictionary<string, string?>>(import.Mapping) ?? [];
        var seen = new HashSet<ulong>(); // dry runs: keys of earlier rows, which were rolled back (64-bit hashes: 8 bytes a row, however long the key)
        var sample = new List<object>();
        await using var stream = new FileStream(files.PathOf(import.WorkspaceId, import.StoredName), FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
        using var rows = ImportRows.Open(stream, import);
        var fields = rows.Headers.Select(h => mapping.GetValueOrDefault(h)).ToList();
        var statistics = new TableStatistics();
        var aheadOfTheWrite = await ChecksAheadAsync(job, import, ct);

        var batchSize = sqlite ? SqliteBatchSize : BatchSize;
        Batch? ReadBatch()
        {
            var batch = new List<ImportRow>(batchSize);
            while (batch.Count < batchSize && rows.Read())
            {
                if (rows.RowNumber <= import.LastRow)
                {
                    continue; // committed by an earlier run
                }

                var values = new Dictionary<string, string>();
                for (var i = 0; i < fields.Count; i++)
                {
                    if (fields[i] is { } field && ImportValues.Text(rows.Values[i]) is { } text)
                    {
                        values[field] = values.TryGetValue(field, out var earlier) ? earlier + "; " + text : text;
                    }
                }

                batch.Add(new ImportRow(rows.RowNumber, values, [.. rows.Values]));
            }

            return batch.Count == 0 ? null : new Batch(batch, rows.BytesRead, rows.TotalBytes);
        }

        // Each batch is checked, then written in its own transaction. In a create-only import whose target writes nothing
        // before the batch's save, the next batch is checked meanwhile, on another connection: it knows the keys and
        // records the batches still being written create, which the database shows only once they commit. On PostgreSQL
        // a batch is written while the one before it is still being written, on a connection of its own, and commits
        // only after it (WriteBatchAsync). Should a batch's save be refused, it is done again row by row, and the batches
        // after it checked and written again.
        var writesOverlap = aheadOfTheWrite && !sqlite;
        (Batch Batch, Carried Carried, Task<Written> Write)? writing = null; // the batch being written behind this one (PostgreSQL)
        var next = ReadBatch();
        var checking = next is null ? null : CheckBatchAsync(job, import, next, seen, null, saveEachRow: false, ct);
        try
        {
            while (next is not null)
            {
                var batch = next;
                var checkedBatch = await checking!;
                checking = null;
                next = ReadBatch();
                if (checkedBatch is not null && aheadOfTheWrite && next is not null)
                {
                    var (following, carried) = (next, writing is { } written ? checkedBatch.Carried.After(written.Carried) : checkedBatch.Carried);
                    checking = Task.Run(() => CheckBatchAsync(job, import, following, seen, carried, saveEachRow: false, ct), ct);
                }

                // What was not kept, to do again: a refused batch row by row, one rolled back after it checked and written again.
                var redo = new List<(Batch Batch, bool RowByRow)>();
                var write = checkedBatch is null ? null : WriteBatchAsync(job, import, checkedBatch, seen, sample, statistics, writing?.Write,
                    referencesThePrevious: writing?.Carried.Lookups.Count > 0, ct);
                var before = Written.Kept; // the batch written behind this one, if any
                if (writing is { } behind)
                {
                    writing = null;
                    before = Written.RolledBackAfterThePrevious;
                    try
                    {
                        before = await behind.Write;
                    }
                    finally
                    {
                        if (before != Written.Kept && write is not null)
                        {
                            await Settled(write); // it rolls back after the one before it
                        }
                    }

                    if (before != Written.Kept)
                    {
                        redo.Add((behind.Batch, RowByRow: true));
                    }
                }

                if (before != Written.Kept)
                {
                    redo.Add((batch, RowByRow: false));
                }
                else if (write is not null && writesOverlap)
                {
                    writing = (batch, checkedBatch!.Carried, write);
                }
                else if (write is null || await write != Written.Kept)
                {
                    redo.Add((batch, RowByRow: true));
                }

                if (redo.Count > 0)
                {
                    if (checking is not null)
                    {
                        await DiscardAsync(checking); // checked against creates that were not kept
                        checking = null;
                    }

                    await RedoAsync(job, import, redo, seen, sample, statistics, ct);
                }

                if (checking is null && next is not null)
                {
                    checking = CheckBatchAsync(job, import, next, seen, null, saveEachRow: false, ct);
                }
            }

            if (writing is { } last)
            {
                writing = null;
                if (await last.Write != Written.Kept)
                {
                    await RedoAsync(job, import, [(last.Batch, RowByRow: true)], seen, sample, statistics, ct);
                }
            }
        }
        finally
        {
            if (checking is not null)
            {
                await DiscardAsync(checking);
            }

            if (writing is { } unfinished)
            {
                await Settled(unfinished.Write);
            }
        }

        await using (var scope = job.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var done = await db.Set<Import>().SingleAsync(i => i.Id == job.JobId, ct);
            done.Complete(clock.GetUtcNow());
            if (import.DryRun)
            {
                done.KeepSample(JsonSerializer.Serialize(sample, ImportJson.Options));
            }
            else
            {
                db.AddJobAudit(AuditActions.Import, done.EntityType, done.Id, new Dictionary<string, object?>
                {
                    ["file"] = done.FileName, ["mode"] = done.Mode, ["key"] = done.Key,
                    ["created"] = done.Created, ["updated"] = done.Updated, ["skipped"] = done.Skipped, ["failed"] = done.Failed,
                });
            }

            await db.SaveChangesAsync(ct);
            await job.CheckpointAsync(db, rows.TotalBytes, rows.TotalBytes, ct);
            await transaction.CommitAsync(ct); // a synchronous commit: it makes every batch before it durable too
        }
    }

    /// <summary>Rows read from the file for one transaction, and how far into the file they reach.</summary>
    private sealed record Batch(List<ImportRow> Rows, long BytesRead, long TotalBytes);

    /// <summary>What the batches being written create and the database does not show until they commit: their rows' keys, and the records their rows looked up and created.</summary>
    private sealed record Carried(Dictionary<string, Guid> Keys, Dictionary<string, Guid> Lookups)
    {
        /// <summary>What this batch and the one before it (still being written) create together.</summary>
        public Carried After(Carried earlier) => new(Merge(earlier.Keys, Keys), Merge(earlier.Lookups, Lookups));

        private static Dictionary<string, Guid> Merge(Dictionary<string, Guid> earlier, Dictionary<string, Guid> later)
        {
            var both = new Dictionary<string, Guid>(earlier, later.Comparer);
            foreach (var (key, id) in later)
            {
                both[key] = id;
            }

            return both;
        }
    }

    /// <summary>How a batch's write ended: committed, refused by the database (to be done again row by row), or rolled back because the batch before it was not kept.</summary>
    private enum Written
    {
        Kept,
        Refused,
        RolledBackAfterThePrevious,
    }

    /// <summary>A write's end, whatever it was: a write that failed was not kept.</summary>
    private static async Task<Written> Settled(Task<Written> write)
    {
        try
        {
            return await write;
        }
        catch (Exception)
        {
            return Written.RolledBackAfterThePrevious; // rolled back with its transaction
        }
    }

    /// <summary>Batches not kept, in order: a refused one row by row, one rolled back after it checked and written again (row by row if refused in turn).</summary>
    private static async Task RedoAsync(JobContext job, Import import, List<(Batch Batch, bool RowByRow)> batches, HashSet<ulong> seen, List<object> sample,
        TableStatistics statistics, CancellationToken ct)
    {
        foreach (var (batch, rowByRow) in batches)
        {
            if (!rowByRow && await CheckBatchAsync(job, import, batch, seen, null, saveEachRow: false, ct) is { } again
                && await WriteBatchAsync(job, import, again, seen, sample, statistics, null, false, ct) == Written.Kept)
            {
                continue;
            }

            var each = await CheckBatchAsync(job, import, batch, seen, null, saveEachRow: true, ct);
            await WriteBatchAsync(job, import, each!, seen, sample, statistics, null, false, ct);
        }
    }

    /// <summary>A batch checked: each row's outcome, its creates waiting in its context for the batch's save.</summary>
    private sealed class CheckedBatch(Batch batch, AsyncServiceScope scope, RapportDbContext db, IDbContextTransaction? transaction, bool saveEachRow,
        List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)> outcomes, List<ulong> newlySeen, Carried carried) : IAsyncDisposable
    {
        public Batch Batch => batch;
        public RapportDbContext Db => db;
        public IDbContextTransaction? Transaction { get; set; } = transaction;
        public bool SaveEachRow => saveEachRow;
        public List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)> Outcomes => outcomes;
        public List<ulong> NewlySeen => newlySeen;
        public Carried Carried => carried;

        public ValueTask DisposeAsync() => new(CloseAsync(scope, Transaction));
    }

    /// <summary>Whether batches may be checked while the previous one is written: create only, for real, into a target that writes nothing before the save.</summary>
    private static async Task<bool> ChecksAheadAsync(JobContext job, Import import, CancellationToken ct)
    {
        if (import.DryRun || import.Mode != ImportModes.Create)
        {
            return false;
        }

        await using var scope = job.CreateScope();
        return scope.ServiceProvider.GetRequiredKeyedService<IImportTarget>(import.EntityType).CreatesWaitForTheBatch;
    }

    /// <summary>
    /// Checks a batch's rows in a scope of its own. Outside a transaction when it is checked ahead (nothing is written
    /// then); otherwise the transaction begins first, as updates are saved while rows are checked.
    /// </summary>
    /// <returns>Null when the database refused the batch's creates, saved before an update: it must be done again row by row.</returns>
    private static async Task<CheckedBatch?> CheckBatchAsync(JobContext job, Import import, Batch batch, HashSet<ulong> seen, Carried? carried, bool saveEachRow,
        CancellationToken ct)
    {
        var scope = job.CreateScope();
        IDbContextTransaction? transaction = null;
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var target = scope.ServiceProvider.GetRequiredKeyedService<IImportTarget>(import.EntityType);
            var country = (await db.WorkspaceDefaultsAsync(ct)).DefaultCountry;
            var context = new ImportScope(scope.ServiceProvider, import.Key, country, await CustomFieldSet.LoadAsync(db, import.EntityType, ct), saveEachRow, carried?.Lookups);
            if (carried is null)
            {
                transaction = await BeginBatchAsync(db, checkedAhead: false, ct);
            }

            var newlySeen = new List<ulong>();
            try
            {
                var (outcomes, keys) = await CheckRowsAsync(target, context, import, batch.Rows, seen, newlySeen, carried?.Keys, ct);
                if (carried is not null)
                {
                    await db.PrepareUntrackedAsync(ct); // the audit and search rows too, while the previous batch is written
                    if (db.IsSqlite)
                    {
                        // The batches before it, from SQLite's log into the database file, beside the writer (BeginBatchAsync)
                        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE)", ct);
                    }
                }

                return new CheckedBatch(batch, scope, db, transaction, saveEachRow, outcomes, newlySeen, new Carried(keys, context.Created));
            }
            catch (DbUpdateException e) when (!saveEachRow && DbErrors.IsUniqueViolation(e))
            {
                seen.ExceptWith(newlySeen);
                await CloseAsync(scope, transaction);
                return null;
            }
        }
        catch
        {
            await CloseAsync(scope, transaction);
            throw;
        }
    }

    private static async Task CloseAsync(AsyncServiceScope scope, IDbContextTransaction? transaction)
    {
        await using (scope)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            if (db.IsSqlite && db.Database.GetDbConnection() is { State: System.Data.ConnectionState.Open } connection)
            {
                try
                {
                    // as every connection of the application has them (BeginBatchAsync)
                    await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000");
                }
                catch
                {
                    await connection.DisposeAsync(); // not given back with the batch's setting
                    throw;
                }

                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>A check that will not be written; its failure, if any, has been or will be met by the batch it depended on.</summary>
    private static async Task DiscardAsync(Task<CheckedBatch?> checking)
    {
        try
        {
            if (await checking is { } discarded)
            {
                await discarded.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // checked against writes that did not happen, or stopped with the job: nothing of it was written
        }
    }

    /// <summary>
    /// A batch's transaction. It commits without waiting for its log to reach the disk: a crash may lose the last batches,
    /// with their checkpoint, and the job's next run does them again; the import's last commit waits as usual, and makes
    /// them durable with it. On SQLite the setting belongs to the connection, which the batch keeps open until it is closed
    /// (<see cref="CloseAsync"/>), where the setting is put back before the connection serves anyone else. A batch whose
    /// successor is checked meanwhile leaves most of the copying of the log into the database file to that check
    /// (<see cref="CheckBatchAsync"/>), and copies what is left itself every 10,000 pages of log instead of 1,000: only a
    /// checkpoint run between two writes copies every page, after which the next write starts the log over, which keeps it small.
    /// </summary>
    private static async Task<IDbContextTransaction> BeginBatchAsync(RapportDbContext db, bool checkedAhead, CancellationToken ct)
    {
        if (db.IsSqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            // SQLite takes these outside a transaction only
            await db.Database.ExecuteSqlRawAsync(checkedAhead ? "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000" : "PRAGMA synchronous = NORMAL", ct);
            return await db.Database.BeginTransactionAsync(ct);
        }

        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", ct);
        return transaction;
    }

    /// <summary>
    /// Saves a checked batch's creates together, records its outcomes, counts and checkpoint, and commits (a dry run keeps
    /// only its findings). A batch written while <paramref name="previous"/> is still being written waits for it before it
    /// records its counts and checkpoint, and rolls back if that one was not kept: batches commit in the file's order.
    /// When the previous batch created records its rows may point at (<paramref name="referencesThePrevious"/>: companies
    /// named in the file), it waits before it writes anything, as the database checks such references against committed rows.
    /// </summary>
    private static async Task<Written> WriteBatchAsync(JobContext job, Import import, CheckedBatch batch, HashSet<ulong> seen, List<object> sample,
        TableStatistics statistics, Task<Written>? previous, bool referencesThePrevious, CancellationToken ct)
    {
        await using (batch)
        {
            if (previous is not null && referencesThePrevious && await Settled(previous) != Written.Kept)
            {
                return Written.RolledBackAfterThePrevious; // nothing written yet
            }

            var db = batch.Db;
            batch.Transaction ??= await BeginBatchAsync(db, checkedAhead: true, ct);
            try
            {
                if (!batch.SaveEachRow)
                {
                    await db.SaveAddedInBulkAsync(ct); // the batch's creates, together
                }
            }
            catch (DbUpdateException e) when (!batch.SaveEachRow && DbErrors.IsUniqueViolation(e))
            {
                await batch.Transaction.RollbackAsync(ct);
                seen.ExceptWith(batch.NewlySeen);
                return Written.Refused;
            }

            if (import.DryRun)
            {
                await batch.Transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                await using var findings = await db.Database.BeginTransactionAsync(ct);
                await RecordAsync(job, db, import, batch.Outcomes, sample, ct);
                await CountAsync(job, db, import, batch.Outcomes, batch.Batch.BytesRead, batch.Batch.TotalBytes, ct);
                await findings.CommitAsync(ct);
            }
            else
            {
                db.ChangeTracker.Clear();
                await RecordAsync(job, db, import, batch.Outcomes, sample, ct);
                if (previous is not null && await Settled(previous) != Written.Kept)
                {
                    await batch.Transaction.RollbackAsync(ct);
                    return Written.RolledBackAfterThePrevious;
                }

                await CountAsync(job, db, import, batch.Outcomes, batch.Batch.BytesRead, batch.Batch.TotalBytes, ct);
                await batch.Transaction.CommitAsync(ct);
                await statistics.RefreshAfterFirstWritesAsync(db, ct);
            }

            await job.GiveWayAsync(db, ct);
            return Written.Kept;
        }
    }

    /// <summary>Each row's outcome by its key: written through the target (creates may wait in the context for the batch's save), skipped or refused.</summary>
    /// <returns>The outcomes, and the keys the batch's rows wrote (with their records).</returns>
    private static async Task<(List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)>, Dictionary<string, Guid>)> CheckRowsAsync(
        IImportTarget target, ImportScope context, Import import, List<ImportRow> batch, HashSet<ulong> seen, List<ulong> newlySeen,
        IReadOnlyDictionary<string, Guid>? keysOfThePreviousBatch, CancellationToken ct)
    {
        await target.PrepareAsync(context, batch, ct);
        var keys = batch.Select(r => target.KeyOf(context, r)).ToList();
        var existing = new Dictionary<string, Guid>(await target.FindAsync(context, [.. keys.OfType<string>().Distinct()], ct));
        var outcomes = new List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)>(batch.Count);
        var written = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (key, id) in keysOfThePreviousBatch ?? new Dictionary<string, Guid>())
        {
            existing[key] = id; // as the database will show them once that batch commits
        }

        var createdHere = new HashSet<string>(StringComparer.Ordinal); // keys rows of this batch wrote
        for (var i = 0; i < batch.Count; i++)
        {
            var row = batch[i];
            var key = keys[i];
            var found = key is not null && existing.TryGetValue(key, out var id) ? id : (Guid?)null;
            var inFile = key is not null && import.DryRun && seen.Contains(KeyHash(key));
            (string Action, ImportWrite? Write, string? Reason) outcome = (import.Mode, found, inFile) switch
            {
                (_, _, _) when key is null && import.Mode != ImportModes.Create => ("skipped", null, $"The row has no {import.Key} to find the record by."),
                (ImportModes.Create, null, false) => await WriteAsync(target, context, null, row, ct),
                (ImportModes.Create, null, true) => ("skipped", null, $"Duplicate: an earlier row of the file has this {import.Key}."),
                (ImportModes.Create, _, _) when createdHere.Contains(key!) => ("skipped", null, $"Duplicate: an earlier row of the file has this {import.Key}."),
                (ImportModes.Create, _, _) => ("skipped", null, $"Duplicate: a {import.EntityType} with this {import.Key} exists already."),
                (ImportModes.Update, null, false) => ("skipped", null, $"No {import.EntityType} has this {import.Key}."),
                (_, null, false) => await WriteAsync(target, context, null, row, ct),
                _ when found is null => ("updated", null, null), // dry run: an earlier row of the file creates it
                _ => await WriteAsync(target, context, found, row, ct),
            };

            if (outcome.Write is { Error: null } write && key is not null)
            {
                existing[key] = written[key] = write.Id;
                createdHere.Add(key);
            }

            if (key is not null && outcome.Action is ImportActions.Created or ImportActions.Updated && import.DryRun && seen.Add(KeyHash(key)))
            {
                newlySeen.Add(KeyHash(key));
            }

            outcomes.Add((row, outcome.Action, outcome.Write, outcome.Reason));
        }

        return (outcomes, written);
    }

    private static async Task<(string, ImportWrite?, string?)> WriteAsync(IImportTarget target, ImportScope scope, Guid? id, ImportRow row, CancellationToken ct)
    {
        if (id is not null && !scope.SaveEachRow)
        {
            await scope.Db.SaveAddedInBulkAsync(ct); // the creates before it: an update is saved on its own and starts from a clear context
        }

        var write = await target.WriteAsync(scope, id, row, ct);
        if (scope.SaveEachRow || id is not null)
        {
            scope.Db.ChangeTracker.Clear();
        }

        return write.Error is { } error ? ("failed", write, error) : (id is null ? ImportActions.Created : ImportActions.Updated, write, null);
    }

    /// <summary>The batch's ledger rows (what undo needs), its error rows, and a dry run's sample.</summary>
    private static async Task RecordAsync(JobContext job, RapportDbContext db, Import import, List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)> outcomes,
        List<object> sample, CancellationToken ct)
    {
        var ledger = new Dictionary<Guid, ImportRecord>();
        if (!import.DryRun && outcomes.Any(o => o.Action == ImportActions.Updated))
        {
            var updatedIds = outcomes.Where(o => o.Action == ImportActions.Updated && o.Write is not null).Select(o => o.Write!.Id).ToList();
            ledger = await db.Set<ImportRecord>().Where(r => r.ImportId == import.Id && updatedIds.Contains(r.RecordId)).ToDictionaryAsync(r => r.RecordId, ct);
        }

        foreach (var (row, action, write, reason) in outcomes)
        {
            if (reason is not null)
            {
                db.AddUntracked(ImportError.For(job.WorkspaceId, import.Id, row.RowNumber, reason, action == "skipped", JsonSerializer.Serialize(row.Cells)));
            }
            else if (!import.DryRun && write is not null)
            {
                if (ledger.TryGetValue(write.Id, out var earlier))
                {
                    earlier.ChangedAgain(write.Version); // a later row changed the same record: undo still goes back to before the first
                }
                else
                {
                    db.AddUntracked(ledger[write.Id] = ImportRecord.For(job.WorkspaceId, import.Id, write.Id, row.RowNumber, action, write.Before, write.Version));
                }
            }

            if (import.DryRun && sample.Count < Import.SampleSize)
            {
                sample.Add(new { row = row.RowNumber, action, reason, values = row.Values });
            }
        }

        await db.SaveAddedInBulkAsync(ct); // the ledger and error rows
    }

    /// <summary>The import's counts and the row it reached, and the job's checkpoint.</summary>
    private static async Task CountAsync(JobContext job, RapportDbContext db, Import import, List<(ImportRow Row, string Action, ImportWrite? Write, string? Reason)> outcomes,
        long bytesRead, long totalBytes, CancellationToken ct)
    {
        var (lastRow, created, updated, skipped, failed) = (outcomes[^1].Row.RowNumber, outcomes.Count(o => o.Action == ImportActions.Created),
            outcomes.Count(o => o.Action == ImportActions.Updated), outcomes.Count(o => o.Action == "skipped"), outcomes.Count(o => o.Action == "failed"));
        await db.Set<Import>().Where(i => i.Id == import.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.LastRow, lastRow)
            .SetProperty(i => i.Created, i => i.Created + created).SetProperty(i => i.Updated, i => i.Updated + updated)
            .SetProperty(i => i.Skipped, i => i.Skipped + skipped).SetProperty(i => i.Failed, i => i.Failed + failed), ct);
        await job.CheckpointAsync(db, bytesRead, totalBytes, ct);
    }

    /// <summary>FNV-1a over the key's characters: at a million keys a collision has odds of about one in 30 million.</summary>
    private static ulong KeyHash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}

internal static class ImportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
