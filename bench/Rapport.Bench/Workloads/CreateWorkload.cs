using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 6's create: <c>POST /api/v1/contacts</c> (validation, duplicate check, audit, search index) with unique emails and
/// phones, half of them Chinese names (wrk, 16 connections, a fixed time). Ceiling: the rows Rapport's create writes — the
/// contact, its duplicate keys, four search entries, an audit row — inserted in one transaction: a pgbench script on
/// PostgreSQL, the bare endpoint (<see cref="BareSqliteServer"/>) on SQLite, into the same database.
/// </summary>
public sealed class CreateWorkload(Scoreboard board, Wrk wrk, Pgbench? pgbench)
{
    public const string Throughput = "create: requests/s";
    public const string Latency = "create: p99";

    /// <summary>pgbench's transaction: the same rows as Rapport's create of a Latin-named contact with one email and one phone.</summary>
    // pgbench reads :name as a variable even inside a string: the text below never has a letter or digit right after a colon.
    private const string Script = """
        BEGIN;
        SELECT gen_random_uuid() AS cid, gen_random_uuid() AS aid, (random() * 1e15)::bigint AS tag \gset
        INSERT INTO customers_contacts (workspace_id, id, first_name, last_name, emails, phones, phones_as_typed, job_title, owner_id, tags, version,
            created_at, created_by, updated_at, updated_by, custom_fields)
        VALUES (:ws::uuid, :cid::uuid, 'Bench', 'Person ' || :tag::text, ARRAY['bench-' || :tag::text || '@example.com'], ARRAY['+86170' || :tag::text], ARRAY['+86 170 ' || :tag::text], 'Buyer',
            :user::uuid, '{}', 1, now(), :user::uuid, now(), :user::uuid, '{"tier":"gold","score": 42}');
        INSERT INTO customers_contact_duplicate_keys (workspace_id, contact_id, key)
        VALUES (:ws::uuid, :cid::uuid, 'e:' || 'bench-' || :tag::text || '@example.com'), (:ws::uuid, :cid::uuid, 'p:+86170' || :tag::text);
        INSERT INTO kernel_search_entries (workspace_id, entity_type, record_id, field, text)
        VALUES (:ws::uuid, 'contact', :cid::uuid, 'name', 'bench person ' || :tag::text),
            (:ws::uuid, 'contact', :cid::uuid, 'emails', 'bench-' || :tag::text || '@example.com bench ' || :tag::text || ' example.com example com'),
            (:ws::uuid, 'contact', :cid::uuid, 'phones', '86170' || :tag::text || ' 170' || :tag::text),
            (:ws::uuid, 'contact', :cid::uuid, 'jobTitle', 'buyer');
        INSERT INTO kernel_audit_entries (id, workspace_id, action, at, changes, entity_id, entity_type, trace_id, user_id)
        VALUES (:aid::uuid, :ws::uuid, 'create', now(), ('{"firstName":{"after":"Bench"},"lastName":{"after":"Person ' || :tag::text || '"},"emails":{"after":["bench-' || :tag::text ||
            '@example.com"]},"phones":{"after":["+86170' || :tag::text || '"]},"jobTitle":{"after":"Buyer"},"ownerId":{"after":"' || :user::uuid ||
            '"},"custom":{"after":{"tier":"gold","score": 42}},"version":{"after": 1},"tags":{"after":[]}}')::jsonb, :cid::uuid, 'contact', NULL, :user::uuid);
        END;

        """;

    /// <summary>Rapport's creates alone; <paramref name="run"/> (below 50) keeps their emails and phones apart from other runs'.</summary>
    public async Task<WrkResult> RapportAsync(Level level, int run, TimeSpan duration)
    {
        var variables = level.WrkVariables("/api/v1/contacts");
        variables["BENCH_RUN"] = run.ToString(CultureInfo.InvariantCulture);
        var rapport = await wrk.RunAsync(level.Server.Address, Wrk.Script.Create, PointReadWorkload.Connections, duration, variables);
        PointReadWorkload.Check(rapport, "Rapport's creates");
        return rapport;
    }

    public async Task RunAsync(Level level, int run)
    {
        var duration = TimeSpan.FromSeconds(level.Options.Duration);
        var (rate, p99) = await CeilingAsync(level, run, duration);
        var rapport = await RapportAsync(level, run, duration);
        board.Add(new Figure(Throughput, level.Engine.Name, "req/s", rate, rapport.RequestsPerSecond, new Target(MinRatio: 0.4)));
        board.Add(new Figure(Latency, level.Engine.Name, "ms", p99, rapport.P99, Target.None));
        Level.Say(string.Create(CultureInfo.InvariantCulture,
            $"{level.Engine.Name} create: Rapport {rapport.RequestsPerSecond:N0} req/s (p99 {rapport.P99:F1} ms), ceiling {rate:N0}/s (p99 {p99:F1} ms)"));
    }

    private async Task<(double Rate, double P99)> CeilingAsync(Level level, int run, TimeSpan duration)
    {
        if (!level.Sqlite)
        {
            var result = await pgbench!.ScriptAsync(level.Name, "create", Script,
                new Dictionary<string, string> { ["ws"] = level.Workspace.ToString(), ["user"] = level.User.ToString() }, PointReadWorkload.Connections, duration);
            return (result.TransactionsPerSecond, result.P99);
        }

        // The bare endpoint takes the same bodies; its run numbers keep their emails and phones apart from Rapport's.
        var bareResult = await wrk.RunAsync(await level.BareSqliteAsync(), Wrk.Script.Create, PointReadWorkload.Connections, duration,
            new Dictionary<string, string> { ["BENCH_PREFIX"] = "/contacts", ["BENCH_RUN"] = (50 + run).ToString(CultureInfo.InvariantCulture) });
        PointReadWorkload.Check(bareResult, "The bare SQLite endpoint's creates");
        return (bareResult.RequestsPerSecond, bareResult.P99);
    }
}
