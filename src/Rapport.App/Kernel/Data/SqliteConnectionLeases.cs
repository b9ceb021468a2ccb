using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace Rapport.Kernel.Data;

/// <summary>
/// Open SQLite connections that outlive a request, each keeping the statements it has compiled (<see cref="SqliteKeptStatements"/>).
/// Microsoft.Data.Sqlite's own pool keeps the database handle, but finalizes every statement when a connection closes, and
/// EF Core closes its connection after each query: SQLite compiled every statement again, most of a point read's CPU.
/// A DbContext rents a connection here when EF Core opens its connection and gives it back when EF Core closes it
/// (<see cref="LeasingSqliteConnection"/>), as it did with the pool. One given back inside a transaction, or with a
/// statement still running, is closed instead of kept.
/// </summary>
public sealed class SqliteConnectionLeases : IDisposable
{
    /// <summary>Idle connections kept at most (more are opened under load, and closed when given back).</summary>
    public const int MaxIdle = 32;

    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>An idle connection, or a new one opened with Rapport's settings (<paramref name="create"/> gives it EF Core's functions).</summary>
    internal SqliteConnection Rent(Func<SqliteConnection> create)
    {
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        var connection = create();
        connection.ConnectionString = new SqliteConnectionStringBuilder(connection.ConnectionString) { Pooling = false }.ToString();
        connection.Open();
        try
        {
            DatabaseSetup.PrepareSqlite(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        SqliteKeptStatements.Attach(connection);
        return connection;
    }

    internal void Return(SqliteConnection connection)
    {
        if (_disposed || !Reusable(connection))
        {
            Close(connection);
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            Close(connection);
            return;
        }

        _idle.Add(connection);
        if (_disposed)
        {
            Clear();
        }
    }

    /// <summary>Closes the idle connections (after migrations, which may change a connection's settings).</summary>
    public void Clear()
    {
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            Close(connection);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Clear();
    }

    /// <summary>Open, outside any transaction, and no statement part-way through its rows.</summary>
    private static bool Reusable(SqliteConnection connection)
    {
        if (connection.State != ConnectionState.Open || raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            return false;
        }

        // Every statement of the handle, SQLite's own (full-text search prepares some) included: SQLitePCL's wrapper knows only its own.
        var handle = connection.Handle!.DangerousGetHandle();
        for (var statement = NextStatement(handle, IntPtr.Zero); statement != IntPtr.Zero; statement = NextStatement(handle, statement))
        {
            if (StatementBusy(statement) != 0)
            {
                return false;
            }
        }

        return true;
    }

    // The library SQLitePCLRaw's provider loads (it imports "e_sqlite3" the same way).
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_next_stmt", ExactSpelling = true)]
    private static extern IntPtr NextStatement(IntPtr db, IntPtr statement);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_stmt_busy", ExactSpelling = true)]
    private static extern int StatementBusy(IntPtr statement);

    private static void Close(SqliteConnection connection)
    {
        SqliteKeptStatements.Detach(connection);
        connection.Dispose();
    }
}

/// <summary>
/// EF Core's SQLite connection, renting its open connection from <see cref="SqliteConnectionLeases"/> for as long as EF Core
/// keeps it open (a query, a transaction). Without leases in the application's services (design-time tools), or with a
/// connection set from outside, it is EF Core's own.
/// </summary>
#pragma warning disable EF1001 // EF Core's SQLite connection itself: only where its open connection comes from changes
internal sealed class LeasingSqliteConnection(
    RelationalConnectionDependencies dependencies, IRawSqlCommandBuilder rawSqlCommandBuilder, IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    private readonly SqliteConnectionLeases? _leases =
        dependencies.ContextOptions.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<SqliteConnectionLeases>();

    private DbConnection? _own;
    private SqliteConnection? _lease;

    /// <summary>The rented connection while open; otherwise EF Core's own (closed) one, which holds the connection string.</summary>
    public override DbConnection DbConnection
    {
        get
        {
            var own = base.DbConnection;
            return _lease ?? own;
        }
    }

    protected override DbConnection CreateDbConnection() => _own = base.CreateDbConnection();

    private bool Leasing => _leases is not null && ReferenceEquals(base.DbConnection, _own);

    protected override void OpenDbConnection(bool errorsExpected)
    {
        if (Leasing)
        {
            _lease = _leases!.Rent(() => (SqliteConnection)base.CreateDbConnection());
        }
        else
        {
            base.OpenDbConnection(errorsExpected);
        }
    }

    protected override Task OpenDbConnectionAsync(bool errorsExpected, CancellationToken cancellationToken)
    {
        if (!Leasing)
        {
            return base.OpenDbConnectionAsync(errorsExpected, cancellationToken);
        }

        OpenDbConnection(errorsExpected); // SQLite opens synchronously in any case
        return Task.CompletedTask;
    }

    protected override void CloseDbConnection()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            _leases!.Return(lease);
        }
        else
        {
            base.CloseDbConnection();
        }
    }

    protected override Task CloseDbConnectionAsync()
    {
        if (_lease is null)
        {
            return base.CloseDbConnectionAsync();
        }

        CloseDbConnection();
        return Task.CompletedTask;
    }
}
#pragma warning restore EF1001
