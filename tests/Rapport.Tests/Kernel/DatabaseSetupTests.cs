using Npgsql;
using Rapport.Kernel.Data;

namespace Rapport.Tests.Kernel;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void PostgreSQL_prepares_statements_automatically_unless_the_connection_string_says_otherwise()
    {
        Assert.Equal(DatabaseSetup.PostgresAutoPrepared, new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Database=rapport")).MaxAutoPrepare);
        foreach (var given in (string[])["Host=db;Max Auto Prepare=0", "Host=db;maxautoprepare=0", "Host=db;MAX AUTO PREPARE=20"])
        {
            Assert.Equal(given, DatabaseSetup.PostgresConnectionString(given));
        }
    }
}
