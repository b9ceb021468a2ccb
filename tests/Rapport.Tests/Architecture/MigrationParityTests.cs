using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;

namespace Rapport.Tests.Architecture;

/// <summary>Each provider's migrations match the model: forgetting `dotnet ef migrations add` for one provider fails here.</summary>
public sealed class MigrationParityTests
{
    [Fact]
    public void Sqlite_migrations_have_no_pending_model_changes()
    {
        using var db = new Rapport.Migrations.Sqlite.DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/Rapport.Migrations.Sqlite --startup-project src/Rapport.Migrations.Sqlite");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void Postgres_migrations_have_no_pending_model_changes()
    {
        using var db = new Rapport.Migrations.Postgres.DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/Rapport.Migrations.Postgres --startup-project src/Rapport.Migrations.Postgres");
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.IsType<RapportDbContext>(db);
    }
}
