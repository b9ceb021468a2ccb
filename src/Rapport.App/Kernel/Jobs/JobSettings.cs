namespace Rapport.Kernel.Jobs;

/// <summary><c>Rapport:Jobs:*</c>.</summary>
public sealed class JobSettings
{
    /// <summary>How long a runner holds a job without renewing; after a crash the job waits this long before another runner takes it.</summary>
    public double LeaseSeconds { get; set; } = 30;
    /// <summary>How often runners look for due jobs (a job queued on this node wakes its runner at once).</summary>
    public double PollSeconds { get; set; } = 2;
    /// <summary>Jobs run at once on this node.</summary>
    public int Concurrency { get; set; } = 2;
    /// <summary><c>false</c> for a node that only serves requests.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
