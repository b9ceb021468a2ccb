using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Bench.Server;

/// <summary>
/// The SQLite ceiling for point reads and creates: a bare ASP.NET Core endpoint on Rapport's own database file, with none
/// of Rapport's rules — no sign-in, access check, validation or EF Core. <c>GET /contacts/{id}</c> reads the row with a
/// prepared statement and writes its columns as JSON; <c>POST /contacts</c> takes the body Rapport's create takes and, in one
/// transaction, inserts the rows Rapport's create writes (the contact, its duplicate keys, its search entries, an audit
/// row), the search text and keys made with Rapport's own functions. Each pooled connection keeps its prepared statements.
/// <para><c>Rapport.Bench bare-sqlite-server --db FILE --urls URL --workspace ID --user ID</c></para>
/// </summary>
public static class BareSqliteServer
{
    private const string Columns =
        "workspace_id, id, first_name, last_name, emails, phones, phones_as_typed, job_title, birthday, company_id, owner_id, team_id, lifecycle_stage, " +
        "source, preferred_language, tags, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, custom_fields, merged_into_id, " +
        "city, country, postal_code, region, street";

    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{name} is required.");
        var (file, urls) = (Arg("--db"), Arg("--urls"));
        var workspace = Guid.Parse(Arg("--workspace")).ToString().ToUpperInvariant();
        var user = Guid.Parse(Arg("--user")).ToString().ToUpperInvariant();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
        var pool = new ConcurrentBag<Statements>();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapGet("/contacts/{id:guid}", (Guid id, HttpContext http) =>
        {
            var statements = Take(pool, connectionString);
            try
            {
                statements.Read.Parameters["$ws"].Value = workspace;
                statements.Read.Parameters["$id"].Value = id.ToString().ToUpperInvariant();
                using var reader = statements.Read.ExecuteReader();
                if (!reader.Read())
                {
                    return Results.NotFound();
                }

                var row = new JsonObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                    {
                        long number => JsonValue.Create(number),
                        double number => JsonValue.Create(number),
                        var value => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
                    };
                }

                return Results.Json(row);
            }
            finally
            {
                pool.Add(statements);
            }
        });
        app.MapPost("/contacts", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body) ?? throw new BadHttpRequestException("No body.");
            var statements = Take(pool, connectionString);
            try
            {
                var id = Guid.CreateVersion7();
                Insert(statements, body, workspace, user, id.ToString().ToUpperInvariant());
                return Results.Created($"/contacts/{id}", new { id });
            }
            finally
            {
                pool.Add(statements);
            }
        });
        await app.RunAsync();
    }

    /// <summary>The rows Rapport's create writes, in one transaction (BEGIN IMMEDIATE: SQLite's one writer at a time).</summary>
    private static void Insert(Statements s, JsonNode body, string workspace, string user, string id)
    {
        var (first, last) = ((string?)body["firstName"], (string?)body["lastName"]);
        var emails = Contact.NormalizeEmails(body["emails"]?.AsArray().Select(e => (string)e!) ?? []);
        var typed = body["phones"]?.AsArray().Select(p => (string)p!).ToList() ?? [];
        var (phones, _) = ContactPhones.Normalize(typed, "CN");
        var e164 = phones.Select(p => p.E164).ToList();
        var jobTitle = (string?)body["jobTitle"];
        var custom = body["custom"]?.ToJsonString() ?? "{}";
        var now = DateTimeOffset.UtcNow.UtcTicks;
        using var transaction = s.Connection.BeginTransaction();
        foreach (var command in s.All)
        {
            command.Transaction = transaction;
        }

        Set(s.Contact, ("$ws", workspace), ("$id", id), ("$first", first), ("$last", last), ("$emails", JsonSerializer.Serialize(emails)),
            ("$phones", JsonSerializer.Serialize(e164)), ("$typed", JsonSerializer.Serialize(phones.Select(p => p.Typed))), ("$job", jobTitle),
            ("$user", user), ("$now", now), ("$custom", custom));
        s.Contact.ExecuteNonQuery();
        foreach (var key in ContactDuplicateKey.KeysOf(emails, e164, NameKeys.Person(first, last), []))
        {
            Set(s.Key, ("$ws", workspace), ("$id", id), ("$key", key));
            s.Key.ExecuteNonQuery();
        }

        (string Field, string Text)[] entries =
        [
            ("name", SearchText.Build(SearchFieldKind.Text, [ContactDto.NameOf(first, last, familyFirst: false)])),
            ("emails", SearchText.Build(SearchFieldKind.Email, emails)),
            ("phones", SearchText.Build(SearchFieldKind.Phone, e164)),
            ("jobTitle", SearchText.Build(SearchFieldKind.Text, [jobTitle])),
        ];
        foreach (var (field, text) in entries.Where(e => e.Text.Length > 0))
        {
            Set(s.Search, ("$ws", workspace), ("$id", id), ("$field", field), ("$text", text));
            s.Search.ExecuteNonQuery();
        }

        var changes = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["firstName"] = new { after = first }, ["lastName"] = new { after = last }, ["emails"] = new { after = emails },
            ["phones"] = new { after = e164 }, ["jobTitle"] = new { after = jobTitle }, ["ownerId"] = new { after = user }, ["custom"] = new { after = body["custom"] },
        });
        Set(s.Audit, ("$ws", workspace), ("$auditId", Guid.CreateVersion7().ToString().ToUpperInvariant()), ("$id", id), ("$now", now), ("$changes", changes), ("$user", user));
        s.Audit.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
    }

    private static Statements Take(ConcurrentBag<Statements> pool, string connectionString) =>
        pool.TryTake(out var statements) ? statements : new Statements(connectionString);

    /// <summary>One open connection (Rapport's pragmas) and its prepared statements, used by one request at a time.</summary>
    private sealed class Statements
    {
        public Statements(string connectionString)
        {
            Connection = new SqliteConnection(connectionString);
            Connection.Open();
            using (var pragmas = Connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
                pragmas.ExecuteNonQuery();
            }

            Read = Prepare($"SELECT {Columns} FROM customers_contacts WHERE workspace_id = $ws AND id = $id AND deleted_at IS NULL", "$ws", "$id");
            Contact = Prepare(
                $"INSERT INTO customers_contacts ({Columns}) VALUES ($ws, $id, $first, $last, $emails, $phones, $typed, $job, NULL, NULL, $user, NULL, NULL, " +
                "NULL, NULL, '[]', 1, $now, $user, $now, $user, NULL, NULL, $custom, NULL, NULL, NULL, NULL, NULL, NULL)",
                "$ws", "$id", "$first", "$last", "$emails", "$phones", "$typed", "$job", "$user", "$now", "$custom");
            Key = Prepare("INSERT INTO customers_contact_duplicate_keys (workspace_id, contact_id, key) VALUES ($ws, $id, $key)", "$ws", "$id", "$key");
            Search = Prepare("INSERT INTO kernel_search_entries (workspace_id, entity_type, record_id, field, text) VALUES ($ws, 'contact', $id, $field, $text)",
                "$ws", "$id", "$field", "$text");
            Audit = Prepare("INSERT INTO kernel_audit_entries (id, workspace_id, action, at, changes, entity_id, entity_type, trace_id, user_id) " +
                            "VALUES ($auditId, $ws, 'create', $now, $changes, $id, 'contact', NULL, $user)", "$auditId", "$ws", "$now", "$changes", "$id", "$user");
        }

        public SqliteConnection Connection { get; }
        public SqliteCommand Read { get; }
        public SqliteCommand Contact { get; }
        public SqliteCommand Key { get; }
        public SqliteCommand Search { get; }
        public SqliteCommand Audit { get; }
        public SqliteCommand[] All => [Contact, Key, Search, Audit];

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            return command;
        }
    }
}

/// <summary><see cref="BareSqliteServer"/> run as a process of its own (this program's <c>bare-sqlite-server</c> command), like Rapport.Web.</summary>
public sealed class BareSqliteProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly string _pidFile;

    private BareSqliteProcess(System.Diagnostics.Process process, Uri address, string pidFile)
    {
        _process = process;
        Address = address;
        _pidFile = pidFile;
    }

    public Uri Address { get; }

    public static async Task<BareSqliteProcess> StartAsync(BenchOptions options, string databaseFile, Guid workspace, Guid user)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[typeof(BareSqliteServer).Assembly.Location, "bare-sqlite-server", "--db", databaseFile, "--urls", address.ToString().TrimEnd('/'),
                     "--workspace", workspace.ToString(), "--user", user.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("Could not start the bare SQLite server.");
        var log = Path.Combine(options.WorkDirectory, "bare-sqlite.log");
        _ = Task.Run(async () => await File.AppendAllTextAsync(log, await process.StandardOutput.ReadToEndAsync()));
        _ = Task.Run(async () => await File.AppendAllTextAsync(log + ".err", await process.StandardError.ReadToEndAsync()));
        var pidFile = Path.Combine(options.WorkDirectory, "bare-sqlite.pid");
        await File.WriteAllTextAsync(pidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        var server = new BareSqliteProcess(process, address, pidFile);
        using var http = new HttpClient { BaseAddress = address };
        for (var waited = 0; waited < 600; waited++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bare SQLite server stopped at start-up; see {log}.err.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("The bare SQLite server did not answer within a minute.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        File.Delete(_pidFile);
        _process.Dispose();
    }
}
