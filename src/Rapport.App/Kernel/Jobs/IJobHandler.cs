using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Jobs;

/// <summary>
/// Runs one kind of <see cref="BackgroundJob"/>; register it with <c>services.AddJobHandler&lt;T&gt;(kind)</c>.
/// A run may be a re-run after a crash: it must pick up from what its checkpoints committed and do nothing twice.
/// </summary>
public interface IJobHandler
{
    Task RunAsync(JobContext job, CancellationToken ct);
}

/// <summary>The job a handler runs, and the one way to record progress: inside the transaction of the work it counts.</summary>
public sealed class JobContext(BackgroundJob job, Guid leaseToken, IServiceScopeFactory scopes, TimeSpan lease, TimeProvider clock)
{
    public static readonly TimeSpan MaxGiveWay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan GiveWayPoll = TimeSpan.FromMilliseconds(10);
    private long _checkpointedAt = clock.GetUtcNow().UtcTicks;

    public Guid JobId => job.Id;
    public Guid WorkspaceId => job.WorkspaceId;
    public Guid? UserId => job.UserId;
    /// <summary>Progress committed by earlier runs (0 on the first).</summary>
    public long Done => job.Done;
    public int Attempt => job.Attempts;

    /// <summary>When a checkpoint last renewed the lease (the claim, before the first); read by the runner's heartbeat.</summary>
    internal DateTimeOffset CheckpointedAt => new(Interlocked.Read(ref _checkpointedAt), TimeSpan.Zero);

    /// <summary>A scope acting as the job's member (or the system) in the job's workspace, with a fresh DbContext.</summary>
    public AsyncServiceScope CreateScope()
    {
        var scope = scopes.CreateAsyncScope();
        var user = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        if (job.UserId is { } userId)
        {
            user.Use(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(RapportClaims.UserId, userId.ToString()), new Claim(RapportClaims.WorkspaceId, job.WorkspaceId.ToString())], "job")));
        }
        else
        {
            user.ActAsSystem(job.WorkspaceId);
        }

        return scope;
    }

    /// <summary>
    /// Records progress in <paramref name="db"/>'s current transaction, so the work and its count commit together, and
    /// renews the lease with it. Throws <see cref="JobLeaseLostException"/> when another node has taken the job over: roll back then.
    /// </summary>
    public async Task CheckpointAsync(RapportDbContext db, long done, long? total, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var updated = await db.Set<BackgroundJob>().IgnoreQueryFilters()
            .Where(j => j.Id == job.Id && j.LeaseToken == leaseToken)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Done, done).SetProperty(j => j.Total, total).SetProperty(j => j.LeaseUntil, now + lease), ct);
        if (updated == 0)
        {
            throw new JobLeaseLostException();
        }

        Interlocked.Exchange(ref _checkpointedAt, now.UtcTicks);
    }

    /// <summary>
    /// Call between batches. SQLite lets one writer in at a time and a waiting writer only retries now and then (up to
    /// every 100 ms), so a job committing batch after batch would keep requests and other jobs out until they time out
    /// (seen: 6–24 s for one contact created during an import). When writes of this process wait for their turn, this
    /// holds the job back until they got in (at most <see cref="MaxGiveWay"/>). Nothing on PostgreSQL.
    /// </summary>
    public async Task GiveWayAsync(RapportDbContext db, CancellationToken ct)
    {
        if (!db.IsSqlite)
        {
            return;
        }

        var until = clock.GetUtcNow() + MaxGiveWay;
        while (SqliteWriters.Waiting > 0 && clock.GetUtcNow() < until)
        {
            await Task.Delay(GiveWayPoll, clock, ct);
        }
    }
}

/// <summary>The job's lease was taken by another runner (this one was too slow or thought dead): its work must not commit.</summary>
public sealed class JobLeaseLostException() : Exception("The job was taken over by another runner.");

public static class JobRegistration
{
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string kind) where THandler : class, IJobHandler =>
        services.AddKeyedScoped<IJobHandler, THandler>(kind);
}
