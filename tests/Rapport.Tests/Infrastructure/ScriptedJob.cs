using System.Collections.Concurrent;
using Rapport.Kernel.Jobs;

namespace Rapport.Tests.Infrastructure;

/// <summary>A test-only job kind: each job runs the script a test registered for its id (job ids are unique across tests).</summary>
public sealed class ScriptedJob : IJobHandler
{
    public const string Kind = "test-scripted";

    private static readonly ConcurrentDictionary<Guid, Func<JobContext, CancellationToken, Task>> Scripts = new();

    public static void Script(Guid jobId, Func<JobContext, CancellationToken, Task> run) => Scripts[jobId] = run;

    public Task RunAsync(JobContext job, CancellationToken ct) => Scripts[job.JobId](job, ct);
}
