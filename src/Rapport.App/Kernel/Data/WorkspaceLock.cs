using Microsoft.EntityFrameworkCore;

namespace Rapport.Kernel.Data;

public static class WorkspaceLock
{
    /// <summary>
    /// Serializes a check-then-write per workspace (e.g. "one administrator must remain") inside the
    /// current transaction: a no-op update of the workspace row holds its row lock on PostgreSQL and
    /// the database write lock on SQLite until commit.
    /// </summary>
    public static Task LockWorkspaceAsync(this RapportDbContext db, Guid workspaceId, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"UPDATE kernel_workspaces SET version = version WHERE id = {workspaceId}", ct);
}
