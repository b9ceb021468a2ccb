using Npgsql;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// The providers every data test runs on. PostgreSQL comes from <c>RAPPORT_TEST_POSTGRES</c>;
/// without it the PostgreSQL cases are skipped, except under <c>CI=true</c> where they fail.
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> Providers => new(Sqlite, Postgres);

    public static string? PostgresServer => Environment.GetEnvironmentVariable("RAPPORT_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void RequireAvailable(string provider)
    {
        if (provider != Postgres || PostgresServer is not null)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail("RAPPORT_TEST_POSTGRES is not set: under CI=true the PostgreSQL tests must run (scripts/test.sh starts a server).");
        }

        Assert.Skip("PostgreSQL not configured (set RAPPORT_TEST_POSTGRES or run scripts/test.sh).");
    }

    public static string PostgresConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ToString();
}
