using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Jobs;

public static class JobStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;
}

/// <summary>
/// Durable work (an import, later webhooks and timers): a row written in the same transaction as the change that
/// asks for it, then run by <see cref="JobRunner"/> on whichever node leases it. A lease ends when its node stops
/// renewing it (a crash), and the job is then taken up again from its last checkpoint.
/// </summary>
public sealed class BackgroundJob : WorkspaceEntity
{
    public const int KindMaxLength = 40;
    public const int ErrorMaxLength = 200;
    /// <summary>Runs that may end in an error before the job is marked failed; crashes of a node count too.</summary>
    public const int MaxAttempts = 5;

    private BackgroundJob() { }

    private BackgroundJob(Guid workspaceId) : base(workspaceId) { }

    /// <summary>Which <see cref="IJobHandler"/> runs it (a keyed service).</summary>
    public string Kind { get; private set; } = "";
    public string Status { get; private set; } = JobStatuses.Queued;
    /// <summary>The member the job acts as (their rights apply to every row it writes); null for system jobs.</summary>
    public Guid? UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Not started before this instant (retries back off).</summary>
    public DateTimeOffset RunAfter { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>Units of work done (rows, items), saved with the work itself.</summary>
    public long Done { get; private set; }
    /// <summary>Units of work in all, when known (bytes of a file, for instance).</summary>
    public long? Total { get; private set; }
    /// <summary>Changes at every claim; only the holder of the current token may write progress or finish the job.</summary>
    public Guid? LeaseToken { get; private set; }
    public DateTimeOffset? LeaseUntil { get; private set; }
    public int Attempts { get; private set; }
    public bool CancelRequested { get; private set; }
    /// <summary>The type of the last error — never its message, which may quote personal data.</summary>
    public string? Error { get; private set; }

    public bool IsFinished => JobStatuses.IsFinished(Status);

    public static BackgroundJob Create(Guid workspaceId, string kind, Guid? userId, DateTimeOffset now) => new(workspaceId)
    {
        Kind = kind, UserId = userId, CreatedAt = now, RunAfter = now,
    };
}

internal sealed class BackgroundJobConfiguration : IEntityTypeConfiguration<BackgroundJob>
{
    public void Configure(EntityTypeBuilder<BackgroundJob> b)
    {
        b.ToTable("kernel_jobs");
        b.HasKey(j => new { j.WorkspaceId, j.Id });
        b.Property(j => j.Kind).HasMaxLength(BackgroundJob.KindMaxLength);
        b.Property(j => j.Status).HasMaxLength(20);
        b.Property(j => j.Error).HasMaxLength(BackgroundJob.ErrorMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        // What the runners poll: unfinished jobs by the time they are due.
        b.HasIndex(j => new { j.Status, j.RunAfter });
    }
}
