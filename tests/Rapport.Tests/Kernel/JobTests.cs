using System.Net;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Workspaces;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Kernel;

/// <summary>
/// The durable job kernel: runs, retries, takeover of a dead node's job, claims under contention, lost leases, cancel and
/// shutdown. Jobs are <see cref="ScriptedJob"/>s whose "work" is a team row committed with the checkpoint, as a real batch would.
/// Most tests drive <see cref="JobRunner"/>s by hand on a host whose own runner is off.
/// </summary>
public sealed class JobTests(Hosts hosts, JobTests.QuietHosts quiet) : IClassFixture<JobTests.QuietHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_queued_job_runs_once_and_completes(string provider)
    {
        var factory = hosts.For(provider); // the host's own runner
        var tenant = await factory.SignUpAsync();
        var runs = 0;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            Interlocked.Increment(ref runs);
            await WorkAsync(job, 1, ct);
        });
        factory.Services.GetRequiredService<JobQueue>().Wake();

        var done = await FinishedAsync(factory, id);

        Assert.Equal((JobStatuses.Completed, 1, 1L, (string?)null), (done.Status, done.Attempts, done.Done, done.Error));
        Assert.Equal((null, null), (done.LeaseToken, done.LeaseUntil));
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.Equal(1, runs);
        Assert.Equal(1, await TeamsAsync(factory, id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_failing_job_is_retried_with_backoff_then_failed_keeping_only_the_error_type(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var clock = new TestClock();
        var runner = Runner(factory, clock: clock);
        var runs = 0;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (_, _) =>
        {
            runs++;
            await Task.Yield();
            throw new InvalidOperationException("ada@example.com could not be reached"); // personal data in the message
        });

        for (var attempt = 1; attempt <= BackgroundJob.MaxAttempts; attempt++)
        {
            var claim = await runner.ClaimNextAsync(Ct);
            Assert.Equal(id, claim?.Job.Id);
            await runner.RunAsync(claim!.Value.Job, claim.Value.Token, Ct);

            var job = await JobAsync(factory, id);
            Assert.Equal((attempt, "InvalidOperationException"), (job.Attempts, job.Error));
            Assert.Null(job.LeaseToken);
            if (attempt == BackgroundJob.MaxAttempts)
            {
                Assert.Equal(JobStatuses.Failed, job.Status);
                Assert.NotNull(job.FinishedAt);
                break;
            }

            Assert.Equal(JobStatuses.Queued, job.Status);
            var backoff = TimeSpan.FromSeconds(5 * Math.Pow(2, attempt - 1)); // 5 s, 10 s, 20 s, 40 s
            Assert.InRange(job.RunAfter - clock.GetUtcNow(), backoff - TimeSpan.FromSeconds(3), backoff);
            Assert.Null(await runner.ClaimNextAsync(Ct)); // not before its time
            clock.Advance(backoff);
        }

        Assert.Equal(BackgroundJob.MaxAttempts, runs);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await runner.ClaimNextAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_timeout_inside_the_handler_is_an_error_to_retry_not_a_takeover(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (_, _) =>
        {
            await Task.Yield();
            throw new TaskCanceledException("The request to the mail server timed out.");
        });
        var runner = Runner(factory);
        var claim = (await runner.ClaimNextAsync(Ct))!.Value;

        await runner.RunAsync(claim.Job, claim.Token, Ct);

        var job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Queued, "TaskCanceledException", (Guid?)null, 1), (job.Status, job.Error, job.LeaseToken, job.Attempts));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_job_of_a_dead_node_is_taken_over_when_its_lease_expires_and_resumes_from_its_committed_progress(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        (long Done, int Attempt) seen = default;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            seen = (job.Done, job.Attempt);
            await WorkAsync(job, 10, ct);
        });
        // What a node that died mid-way leaves: running, its own lease token, four units committed.
        var deadToken = Guid.NewGuid();
        await UpdateJobAsync(factory, id, s => s.SetProperty(j => j.Status, JobStatuses.Running).SetProperty(j => j.LeaseToken, deadToken)
            .SetProperty(j => j.LeaseUntil, DateTimeOffset.UtcNow.AddMinutes(1)).SetProperty(j => j.Done, 4).SetProperty(j => j.Total, 10).SetProperty(j => j.Attempts, 1));
        var runner = Runner(factory);

        Assert.Null(await runner.ClaimNextAsync(Ct)); // its lease still runs: the node may be alive
        await UpdateJobAsync(factory, id, s => s.SetProperty(j => j.LeaseUntil, DateTimeOffset.UtcNow.AddSeconds(-1)));
        var claim = await runner.ClaimNextAsync(Ct);
        Assert.Equal(id, claim?.Job.Id);
        Assert.NotEqual(deadToken, claim!.Value.Token);
        await runner.RunAsync(claim.Value.Job, claim.Value.Token, Ct);

        Assert.Equal((4L, 2), seen);
        var job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Completed, 10L, 2), (job.Status, job.Done, job.Attempts));
        Assert.Equal(1, await TeamsAsync(factory, id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_runners_claiming_at_once_never_take_the_same_job(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await EnqueueAsync(factory, tenant.WorkspaceId, (_, _) => Task.CompletedTask));
        }

        JobRunner[] runners = [Runner(factory), Runner(factory)];
        var claims = new ConcurrentBag<(Guid Job, Guid Token)>();
        using var go = new ManualResetEventSlim();
        var claimers = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            go.Wait(Ct);
            while (await runners[i % 2].ClaimNextAsync(Ct) is { } claim)
            {
                claims.Add((claim.Job.Id, claim.Token));
            }
        }, Ct)).ToList();
        go.Set();
        await Task.WhenAll(claimers);
        while (await runners[0].ClaimNextAsync(Ct) is { } late)
        {
            claims.Add((late.Job.Id, late.Token)); // a claimer may give up while another still holds the rest
        }

        Assert.Equal(ids.Order(), claims.Select(c => c.Job).Order());
        foreach (var (jobId, token) in claims)
        {
            var job = await JobAsync(factory, jobId);
            Assert.Equal((JobStatuses.Running, token, 1), (job.Status, job.LeaseToken!.Value, job.Attempts));
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_runner_that_lost_its_lease_cannot_checkpoint_and_its_batch_is_rolled_back(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        Exception? refused = null;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            if (job.Attempt > 1)
            {
                await WorkAsync(job, 10, ct);
                return;
            }

            try
            {
                await WorkAsync(job, 5, ct);
            }
            catch (Exception e)
            {
                refused = e;
                throw;
            }
        });
        var slow = Runner(factory);
        var first = (await slow.ClaimNextAsync(Ct))!.Value;
        var later = new TestClock();
        later.Advance(TimeSpan.FromMinutes(5)); // the first runner's lease has run out by then
        var other = Runner(factory, clock: later);
        var second = (await other.ClaimNextAsync(Ct))!.Value;
        Assert.Equal(id, second.Job.Id);

        await slow.RunAsync(first.Job, first.Token, Ct);

        Assert.IsType<JobLeaseLostException>(refused);
        var job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Running, second.Token, 0L), (job.Status, job.LeaseToken!.Value, job.Done)); // left to the new holder
        Assert.Equal(0, await TeamsAsync(factory, id));

        await other.RunAsync(second.Job, second.Token, Ct);
        job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Completed, 10L), (job.Status, job.Done));
        Assert.Equal(1, await TeamsAsync(factory, id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_job_that_checkpoints_keeps_its_lease_even_when_a_batch_holds_the_database_longer_than_the_lease(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        const int Batches = 3;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            for (var batch = 1; batch <= Batches; batch++)
            {
                await using var scope = job.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                db.Add(Team.Create(job.WorkspaceId, $"{job.JobId} {batch}"));
                await db.SaveChangesAsync(ct); // on SQLite the write lock is held from here to the commit: heartbeats and claims wait behind it
                await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
                await job.CheckpointAsync(db, batch, Batches, ct);
                await transaction.CommitAsync(ct);
            }
        });
        var runner = Runner(factory, leaseSeconds: 1); // batches back to back, each longer than the lease
        var claim = (await runner.ClaimNextAsync(Ct))!.Value;
        var run = runner.RunAsync(claim.Job, claim.Token, Ct);
        var rival = Runner(factory, leaseSeconds: 1); // polls meanwhile, as the node's own runner does on SQLite

        while (!run.IsCompleted)
        {
            Assert.Null(await rival.ClaimNextAsync(Ct));
            await Task.Delay(100, Ct);
        }

        await run;
        var job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Completed, 1, (long)Batches), (job.Status, job.Attempts, job.Done));
        Assert.Equal(Batches, await TeamsAsync(factory, id));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Cancel_stops_a_queued_job_at_once_and_a_running_one_at_its_next_heartbeat(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var ran = false;
        var queued = await EnqueueAsync(factory, tenant.WorkspaceId, (_, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(await CancelAsync(factory, tenant.WorkspaceId, queued));

        var cancelled = await JobAsync(factory, queued);
        Assert.Equal(JobStatuses.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
        var runner = Runner(factory, leaseSeconds: 0.9); // a heartbeat every 0.3 s
        Assert.Null(await runner.ClaimNextAsync(Ct));
        Assert.False(ran);
        Assert.False(await CancelAsync(factory, tenant.WorkspaceId, queued)); // finished already

        var started = new TaskCompletionSource();
        var running = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            await WorkAsync(job, 1, ct);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var claim = (await runner.ClaimNextAsync(Ct))!.Value;
        var run = runner.RunAsync(claim.Job, claim.Token, Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var asked = Stopwatch.StartNew();

        Assert.True(await CancelAsync(factory, tenant.WorkspaceId, running));
        Assert.Equal(JobStatuses.Running, (await JobAsync(factory, running)).Status); // stopping is the runner's part

        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.InRange(asked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var stopped = await JobAsync(factory, running);
        Assert.Equal((JobStatuses.Cancelled, 1L, (Guid?)null), (stopped.Status, stopped.Done, stopped.LeaseToken));
        Assert.NotNull(stopped.FinishedAt);
        Assert.Equal(1, await TeamsAsync(factory, running)); // what it committed before stays
    }

    [Fact]
    public async Task On_SQLite_a_job_writing_batch_after_batch_lets_a_waiting_request_in_between_its_batches()
    {
        var (factory, tenant) = await QuietAsync("sqlite");
        var runner = Runner(factory);
        var writing = new TaskCompletionSource();
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            for (var step = 1L; step <= 50; step++)
            {
                await using var scope = job.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct); // SQLite's one writer, held to the commit
                db.Add(Team.Create(job.WorkspaceId, $"{job.JobId} {step}"));
                await db.SaveChangesAsync(ct);
                writing.TrySetResult();
                await Task.Delay(200, ct); // a slow batch
                await job.CheckpointAsync(db, step, 50, ct);
                await transaction.CommitAsync(ct);
                await job.GiveWayAsync(db, ct);
            }
        });
        var claim = (await runner.ClaimNextAsync(Ct))!.Value;
        var run = runner.RunAsync(claim.Job, claim.Token, Ct);
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var answered = Stopwatch.StartNew();
        var created = await tenant.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Waiting" });
        answered.Stop();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.InRange(answered.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5)); // a batch or a few on a busy machine, not the 10 s of the whole job
        await run.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var done = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Completed, 50L), (done.Status, done.Done));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_cancelled_job_stops_at_its_next_checkpoint_without_waiting_for_the_heartbeat_and_keeps_only_committed_steps(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var runner = Runner(factory, leaseSeconds: 300); // the heartbeat would come after 100 s
        var started = new TaskCompletionSource();
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            for (var step = 1L; ; step++)
            {
                await WorkAsync(job, step, ct);
                started.TrySetResult();
                await Task.Delay(20, ct);
            }
        });
        var claim = (await runner.ClaimNextAsync(Ct))!.Value;
        var run = runner.RunAsync(claim.Job, claim.Token, Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(await CancelAsync(factory, tenant.WorkspaceId, id));
        await run.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var stopped = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Cancelled, (Guid?)null), (stopped.Status, stopped.LeaseToken));
        Assert.Equal(stopped.Done, await TeamsAsync(factory, id)); // the step refused at its checkpoint rolled back
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_node_shutting_down_hands_its_job_back_as_queued_and_another_takes_it_at_once(string provider)
    {
        var (factory, tenant) = await QuietAsync(provider);
        var started = new TaskCompletionSource();
        (long Done, int Attempt) resumed = default;
        var id = await EnqueueAsync(factory, tenant.WorkspaceId, async (job, ct) =>
        {
            if (job.Done > 0)
            {
                resumed = (job.Done, job.Attempt);
                await WorkAsync(job, 10, ct);
                return;
            }

            await WorkAsync(job, 3, ct);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var node = Runner(factory);
        await node.StartAsync(Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await node.StopAsync(Ct); // what the host does when the process is asked to stop

        var job = await JobAsync(factory, id);
        Assert.Equal((JobStatuses.Queued, 3L, (Guid?)null, (string?)null), (job.Status, job.Done, job.LeaseToken, job.Error));
        Assert.Equal(0, job.Attempts); // a handback is not a failed attempt: deploys do not use up the retries
        var next = Runner(factory);
        var claim = await next.ClaimNextAsync(Ct); // no waiting for a lease to run out
        Assert.Equal(id, claim?.Job.Id);
        await next.RunAsync(claim!.Value.Job, claim.Value.Token, Ct);
        Assert.Equal((3L, 1), resumed);
        Assert.Equal(JobStatuses.Completed, (await JobAsync(factory, id)).Status);
        Assert.Equal(2, await TeamsAsync(factory, id));
    }

    private static JobRunner Runner(RapportFactory factory, double leaseSeconds = 30, TimeProvider? clock = null) =>
        new(factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<JobQueue>(),
            new JobSettings { LeaseSeconds = leaseSeconds, PollSeconds = 0.1 }, clock ?? TimeProvider.System, NullLogger<JobRunner>.Instance);

    private static async Task<Guid> EnqueueAsync(RapportFactory factory, Guid workspaceId, Func<JobContext, CancellationToken, Task> script)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        var job = scope.ServiceProvider.GetRequiredService<JobQueue>().Enqueue(db, ScriptedJob.Kind, null);
        ScriptedJob.Script(job.Id, script);
        await db.SaveChangesAsync(Ct);
        return job.Id;
    }

    /// <summary>One batch of work: a team row and the progress, in one transaction.</summary>
    private static async Task WorkAsync(JobContext job, long done, CancellationToken ct)
    {
        await using var scope = job.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(Team.Create(job.WorkspaceId, $"{job.JobId} {done}"));
        await db.SaveChangesAsync(ct);
        await job.CheckpointAsync(db, done, 10, ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task<int> TeamsAsync(RapportFactory factory, Guid jobId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var prefix = jobId.ToString();
        return await scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>().Set<Team>().IgnoreQueryFilters()
            .CountAsync(t => t.Name.StartsWith(prefix), Ct);
    }

    private static async Task<BackgroundJob> JobAsync(RapportFactory factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>().Set<BackgroundJob>().IgnoreQueryFilters()
            .AsNoTracking().SingleAsync(j => j.Id == id, Ct);
    }

    private static async Task<BackgroundJob> FinishedAsync(RapportFactory factory, Guid id)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await JobAsync(factory, id) is { IsFinished: true } job)
            {
                return job;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {id} did not finish.");
    }

    private static async Task UpdateJobAsync(RapportFactory factory, Guid id, Action<UpdateSettersBuilder<BackgroundJob>> set)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>().Set<BackgroundJob>().IgnoreQueryFilters()
            .Where(j => j.Id == id).ExecuteUpdateAsync(set, Ct);
    }

    /// <summary>What the cancel endpoints do.</summary>
    private static async Task<bool> CancelAsync(RapportFactory factory, Guid workspaceId, Guid id)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return await scope.ServiceProvider.GetRequiredService<JobQueue>().CancelAsync(db, id, Ct);
    }

    /// <summary>A quiet host and a fresh workspace; jobs other tests of the class left unfinished are cancelled first.</summary>
    private async Task<(RapportFactory Factory, Tenant Tenant)> QuietAsync(string provider)
    {
        var factory = quiet.For(provider);
        await UpdateAllAsync(factory);
        return (factory, await factory.SignUpAsync());

        static async Task UpdateAllAsync(RapportFactory factory)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>().Set<BackgroundJob>().IgnoreQueryFilters()
                .Where(j => j.Status == JobStatuses.Queued || j.Status == JobStatuses.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatuses.Cancelled), Ct);
        }
    }

    /// <summary>One host per provider whose own runner is off (<c>Rapport:Jobs:Enabled=false</c>): the tests are the runners.</summary>
    public sealed class QuietHosts : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, Lazy<RapportFactory>> _hosts = new();

        public RapportFactory For(string provider)
        {
            TestDatabases.RequireAvailable(provider);
            return _hosts.GetOrAdd(provider, p => new Lazy<RapportFactory>(() =>
            {
                var factory = new RapportFactory(p, new Dictionary<string, string?> { ["Rapport:Jobs:Enabled"] = "false" });
                _ = factory.Server;
                return factory;
            })).Value;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
            {
                await host.Value.DisposeAsync();
            }
        }
    }

    /// <summary>The real clock moved forward by what a test advanced it (timers keep real time).</summary>
    private sealed class TestClock : TimeProvider
    {
        private TimeSpan _offset;

        public void Advance(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
