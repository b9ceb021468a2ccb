using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.Jobs;

/// <summary>Queues durable jobs in the caller's transaction and wakes this node's runner once they are committed.</summary>
public sealed class JobQueue(TimeProvider clock)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Adds the job to <paramref name="db"/>; it runs after the caller's <c>SaveChanges</c> (call <see cref="Wake"/> then).</summary>
    public BackgroundJob Enqueue(RapportDbContext db, string kind, Guid? userId)
    {
        var job = BackgroundJob.Create(db.WorkspaceId ?? throw new InvalidOperationException("No current workspace to queue a job in."), kind, userId, clock.GetUtcNow());
        db.Add(job);
        return job;
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Cancels a job of <paramref name="db"/>'s workspace: a queued one at once, a running one at its runner's next heartbeat.
    /// False when it has finished (or does not exist). Conditional updates, so a job claimed meanwhile is never marked
    /// cancelled while it still runs.
    /// </summary>
    public async Task<bool> CancelAsync(RapportDbContext db, Guid jobId, CancellationToken ct)
    {
        for (var tries = 0; tries < 3; tries++) // a job may go from running back to queued (a retry, a handback) between the two
        {
            var now = clock.GetUtcNow();
            if (await db.Set<BackgroundJob>().Where(j => j.Id == jobId && j.Status == JobStatuses.Queued).ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.CancelRequested, true).SetProperty(j => j.Status, JobStatuses.Cancelled).SetProperty(j => j.FinishedAt, now), ct) == 1
                || await db.Set<BackgroundJob>().Where(j => j.Id == jobId && j.Status == JobStatuses.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct) == 1)
            {
                return true;
            }
        }

        return false;
    }

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
