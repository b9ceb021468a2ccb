using System.Data;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Kernel;

/// <summary>SQLite connections leased across requests (<see cref="SqliteConnectionLeases"/>) and the statements they keep.</summary>
public sealed class SqliteLeaseTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_record_read_again_in_later_requests_runs_the_statement_its_connection_compiled_the_first_time()
    {
        await using var factory = new RapportFactory(TestDatabases.Sqlite); // its own: other tests' statements could push this one out
        var tenant = await factory.SignUpAsync();
        var created = await (await tenant.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "Kept", lastName = "Statement" })).JsonAsync();
        var id = (string)created["id"]!;
        factory.Statements.Reset(tenant.WorkspaceId);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync($"/api/v1/contacts/{id}", Ct)).StatusCode);
        }

        var reads = factory.Statements.Sent(tenant.WorkspaceId).Where(s => s.Sql.Contains("FROM \"customers_contacts\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, reads.Count);
        Assert.All(reads, r => Assert.True(SqliteKeptStatements.IsLeased(r.Connection!)));
        // Each connection ran every read with one command: compiled by SQLite once, then only given new parameters.
        Assert.All(reads.GroupBy(r => r.Connection), reads => Assert.Single(reads.Select(r => r.Command).Distinct()));
        Assert.True(reads.Select(r => r.Command).Distinct().Count() < reads.Count);
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_or_part_way_through_its_rows_is_closed_not_kept()
    {
        var factory = hosts.For(TestDatabases.Sqlite);
        var tenant = await factory.SignUpAsync();

        Assert.Equal(ConnectionState.Open, await GiveBackAsync(factory, tenant, _ => Task.CompletedTask));
        Assert.Equal(ConnectionState.Closed, await GiveBackAsync(factory, tenant, async connection =>
        {
            await using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN";
            await begin.ExecuteNonQueryAsync(Ct);
        }));
        Assert.Equal(ConnectionState.Closed, await GiveBackAsync(factory, tenant, async connection =>
        {
            var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 UNION ALL SELECT 2";
            var reader = await command.ExecuteReaderAsync(Ct); // left open, as a careless caller would
            Assert.True(await reader.ReadAsync(Ct));
        }));
    }

    /// <summary>Rents a connection through EF Core, does <paramref name="work"/> on it, gives it back: its state after.</summary>
    private static async Task<ConnectionState> GiveBackAsync(RapportFactory factory, Tenant tenant, Func<SqliteConnection, Task> work)
    {
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        await db.Database.OpenConnectionAsync(Ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Assert.True(SqliteKeptStatements.IsLeased(connection));
        await work(connection);
        await db.Database.CloseConnectionAsync();
        return connection.State;
    }
}
