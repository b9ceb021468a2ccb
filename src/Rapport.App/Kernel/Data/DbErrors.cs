using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Rapport.Kernel.Data;

/// <summary>Recognises database errors the same way on both providers.</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.Message.Contains("UNIQUE", StringComparison.Ordinal)
                             || s.SqliteExtendedErrorCode is 1555 or 2067,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    public static bool IsForeignKeyViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteExtendedErrorCode == 787 || s.SqliteErrorCode == 19 && s.Message.Contains("FOREIGN KEY", StringComparison.Ordinal),
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };
}
