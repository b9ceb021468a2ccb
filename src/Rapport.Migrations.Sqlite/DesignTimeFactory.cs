using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add … --project src/Rapport.Migrations.Sqlite</c> build the model for Sqlite.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RapportDbContext>
{
    public RapportDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RapportDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Sqlite, DatabaseSetup.SqliteConnectionString(Path.GetTempPath()));
        return new RapportDbContext(options.Options, new NoUser(), TimeProvider.System);
    }

    private sealed class NoUser : ICurrentUser
    {
        public Guid? UserId => null;
        public Guid? WorkspaceId => null;
    }
}
