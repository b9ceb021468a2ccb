using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add … --project src/Rapport.Migrations.Postgres</c> build the model for Postgres.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RapportDbContext>
{
    public RapportDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<RapportDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Postgres, "Host=localhost;Database=rapport_design");
        return new RapportDbContext(options.Options, new NoUser(), TimeProvider.System);
    }

    private sealed class NoUser : ICurrentUser
    {
        public Guid? UserId => null;
        public Guid? WorkspaceId => null;
    }
}
