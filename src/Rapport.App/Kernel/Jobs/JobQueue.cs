using System.Threading.Channels;
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
