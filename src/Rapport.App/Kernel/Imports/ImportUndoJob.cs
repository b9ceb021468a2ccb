using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Undoes an import, last row first: removes the records it created and puts back the fields it updated, each through
/// the entity's use cases and only when nobody changed the record since (those are left alone and counted). Every
/// record's ledger row goes in the same transaction as its undo, so a crash resumes where it stopped.
/// </summary>
public sealed class ImportUndoJob(TimeProvider clock) : IJobHandler
{

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        long done = 0;
        while (true)
        {
            await using var scope = job.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var import = await db.Set<Import>().SingleAsync(i => i.UndoJobId == job.JobId, ct);
            var ledger = await db.Set<ImportRecord>().AsNoTracking().Where(r => r.ImportId == import.Id && !r.LeftAlone)
                .OrderByDescending(r => r.RowNumber).Take(db.IsSqlite ? ImportJob.SqliteBatchSize : ImportJob.BatchSize).ToListAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (ledger.Count == 0)
            {
                import.Undone(clock.GetUtcNow());
                db.AddJobAudit(AuditActions.ImportUndo, import.EntityType, import.Id, new Dictionary<string, object?>
                {
                    ["file"] = import.FileName, ["leftAlone"] = import.UndoLeftAlone,
                });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return;
            }

            var target = scope.ServiceProvider.GetRequiredKeyedService<IImportTarget>(import.EntityType);
            var country = await db.Workspaces.Where(w => w.Id == job.WorkspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
            var context = new ImportScope(scope.ServiceProvider, import.Key, country, await CustomFieldSet.LoadAsync(db, import.EntityType, ct));
            var undone = new List<ImportRecord>();
            var leftAlone = new List<ImportRecord>();
            foreach (var record in ledger)
            {
                (await target.UndoAsync(context, record, ct) ? undone : leftAlone).Add(record);
                db.ChangeTracker.Clear();
            }

            db.RemoveRange(undone);
            foreach (var record in leftAlone)
            {
                db.Attach(record).Entity.LeaveAlone();
            }

            (await db.Set<Import>().SingleAsync(i => i.Id == import.Id, ct)).LeftAlone(leftAlone.Count);
            await db.SaveChangesAsync(ct);
            done += ledger.Count;
            await job.CheckpointAsync(db, done, null, ct);
            await transaction.CommitAsync(ct);
            await job.GiveWayAsync(db, ct);
        }
    }
}
