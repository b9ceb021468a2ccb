using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.Jobs;

/// <summary>
/// Takes due jobs (queued, or running under a lease nobody renewed), runs them with their handler, renews the lease
/// while they run and records how they ended. Safe on several nodes: a job is claimed by replacing its lease token in
/// one conditional UPDATE, and only the token's holder can checkpoint or finish it.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, JobQueue queue, JobSettings settings, TimeProvider clock, ILogger<JobRunner> log) : BackgroundService
{
    private int _running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }

        var runs = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                runs.RemoveAll(t => t.IsCompleted);
                while (_running < settings.Concurrency && await ClaimNextAsync(stoppingToken) is { } claim)
                {
                    Interlocked.Increment(ref _running);
                    runs.Add(Task.Run(() => RunAsync(claim.Job, claim.Token, stoppingToken), CancellationToken.None));
                }

                await queue.WaitAsync(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                log.LogError("Jobs could not be polled: {Error}", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(settings.PollSeconds), CancellationToken.None);
            }
        }

        // The host waits for this before it stops: the running jobs hand themselves back as queued first.
        await Task.WhenAll(runs);
    }

    /// <summary>Claims the next due job for this runner, or returns null when none is due (or another runner was faster).</summary>
    internal async Task<(BackgroundJob Job, Guid Token)?> ClaimNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Set<BackgroundJob>().IgnoreQueryFilters().AsNoTracking()
            .Where(j => (j.Status == JobStatuses.Queued && j.RunAfter <= now) || (j.Status == JobStatuses.Running && j.LeaseUntil < now))
            .OrderBy(j => j.RunAfter).Take(5).ToListAsync(ct);
        foreach (var job in due)
        {
            if (job.Attempts >= BackgroundJob.MaxAttempts)
            {
                // It ended every run by taking its node down with it: stop trying.
                await db.Set<BackgroundJob>().IgnoreQueryFilters().Where(j => j.Id == job.Id && j.LeaseToken == job.LeaseToken && (j.Status == JobStatuses.Queued || j.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatuses.Failed).SetProperty(j => j.FinishedAt, now)
                        .SetProperty(j => j.Error, "Crashed").SetProperty(j => j.LeaseToken, (Guid?)null), ct);
                continue;
            }

            // Still due when the update runs: on SQLite it may have waited for a batch whose checkpoint renewed the lease.
            var token = Guid.NewGuid();
            var claimed = await db.Set<BackgroundJob>().IgnoreQueryFilters()
                .Where(j => j.Id == job.Id && j.Status == job.Status && j.LeaseToken == job.LeaseToken && (j.Status == JobStatuses.Queued || j.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatuses.Running)
                    .SetProperty(j => j.LeaseToken, token)
                    .SetProperty(j => j.LeaseUntil, now + settings.Lease)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now), ct);
            if (claimed == 1)
            {
                return (await db.Set<BackgroundJob>().IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == job.Id, ct), token);
            }
        }

        return null;
    }

    internal async Task RunAsync(BackgroundJob job, Guid token, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var cancelled = false;
        var context = new JobContext(job, token, scopes, settings.Lease, clock);
        using var heartbeat = new PeriodicTimer(settings.Lease / 3, clock);
        var renewing = Task.Run(async () =>
        {
            try
            {
                while (await heartbeat.WaitForNextTickAsync(run.Token))
                {
                    Renewal renewal;
                    try
                    {
                        // A job checkpointing often has its lease renewed by its checkpoints: the heartbeat then only reads (on SQLite,
                        // a write would wait behind the job's own batches, and could be starved by them until the lease ran out).
                        renewal = await RenewAsync(job.Id, token, extend: clock.GetUtcNow() - context.CheckpointedAt >= settings.Lease / 3, run.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A passing database error: try again at the next tick rather than let the lease lapse while the job runs.
                        log.LogWarning("The lease of job {JobId} could not be renewed: {Error}", job.Id, e.GetType().Name);
                        continue;
                    }

                    if (renewal != Renewal.Renewed)
                    {
                        cancelled = renewal == Renewal.CancelRequested;
                        await run.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        string status;
        string? error = null;
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(job.Kind);
                await handler.RunAsync(context, run.Token);
            }

            status = JobStatuses.Completed;
        }
        catch (Exception e) when (e is JobLeaseLostException or JobCancelledException || (e is OperationCanceledException && run.IsCancellationRequested))
        {
            if (e is JobCancelledException || e is not JobLeaseLostException && (cancelled || await IsCancelRequestedAsync(job.Id)))
            {
                status = JobStatuses.Cancelled;
            }
            else if (e is not JobLeaseLostException && stoppingToken.IsCancellationRequested)
            {
                status = JobStatuses.Queued; // this node stops: hand the job back at once instead of waiting for the lease to run out
            }
            else
            {
                log.LogWarning("Job {JobId} was taken over by another runner", job.Id);
                status = "";
            }
        }
        catch (Exception e) // a timeout of the handler's own (an OperationCanceledException the run did not ask for) included
        {
            error = e.GetType().Name;
            status = job.Attempts >= BackgroundJob.MaxAttempts ? JobStatuses.Failed : JobStatuses.Queued;
            log.LogError(e, "Job {JobId} of kind {JobKind} failed (attempt {Attempt})", job.Id, job.Kind, job.Attempts);
        }
        finally
        {
            await run.CancelAsync();
            await renewing;
            Interlocked.Decrement(ref _running);
        }

        if (status.Length == 0)
        {
            return;
        }

        await FinishAsync(job, token, status, error);
        if (status == JobStatuses.Queued && !stoppingToken.IsCancellationRequested)
        {
            queue.Wake();
        }
    }

    private enum Renewal { Renewed, Lost, CancelRequested }

    private async Task<Renewal> RenewAsync(Guid id, Guid token, bool extend, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        if (extend)
        {
            // Never shortens the lease: a checkpoint may have pushed it further while this update waited for the database.
            var until = clock.GetUtcNow() + settings.Lease;
            await db.Set<BackgroundJob>().IgnoreQueryFilters().Where(j => j.Id == id && j.LeaseToken == token && (j.LeaseUntil == null || j.LeaseUntil < until))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, until), ct);
        }

        var state = await db.Set<BackgroundJob>().IgnoreQueryFilters().Where(j => j.Id == id).Select(j => new { j.LeaseToken, j.CancelRequested }).SingleAsync(ct);
        return state.LeaseToken != token ? Renewal.Lost : state.CancelRequested ? Renewal.CancelRequested : Renewal.Renewed;
    }

    private async Task<bool> IsCancelRequestedAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Set<BackgroundJob>().IgnoreQueryFilters()
            .AnyAsync(j => j.Id == id && j.CancelRequested);
    }

    private async Task FinishAsync(BackgroundJob job, Guid token, string status, string? error)
    {
        var now = clock.GetUtcNow();
        var runAfter = status == JobStatuses.Queued && error is not null ? now.AddSeconds(5 * Math.Pow(2, job.Attempts - 1)) : now;
        var handedBack = status == JobStatuses.Queued && error is null ? 1 : 0; // a node stopping: not an attempt that failed
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        await db.Set<BackgroundJob>().IgnoreQueryFilters().Where(j => j.Id == job.Id && j.LeaseToken == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.LeaseToken, (Guid?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.RunAfter, runAfter)
                .SetProperty(j => j.Attempts, j => j.Attempts - handedBack)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.FinishedAt, JobStatuses.IsFinished(status) ? now : null), CancellationToken.None);
    }
}
