using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rapport.Kernel.Data;

/// <summary>
/// Counts the writes on their way into SQLite (a transaction starting, a statement that is not a read) in this process.
/// SQLite lets one writer in at a time and a waiting writer only retries now and then, so a job committing batch after
/// batch could keep everyone else out; between its batches the job asks <see cref="Waiting"/> and lets them in first.
/// </summary>
public sealed class SqliteWriters : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    public static readonly SqliteWriters Instance = new();
    private static int _waiting;
    /// <summary>
    /// EF Core connections (by id) waiting for their BEGIN: a BEGIN that fails reports no end, so closing the connection ends the
    /// wait. By EF Core's id, not the ADO.NET connection: a leased one (<see cref="SqliteConnectionLeases"/>) is given back first.
    /// </summary>
    private static readonly ConcurrentDictionary<Guid, byte> Beginning = new();

    /// <summary>Writes that have started but not yet got in (or finished).</summary>
    public static int Waiting => Volatile.Read(ref _waiting);

    private static void Enter() => Interlocked.Increment(ref _waiting);
    private static void Leave() => Interlocked.Decrement(ref _waiting);

    private static bool Writes(DbCommand command) =>
        !command.CommandText.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
        && !command.CommandText.AsSpan().TrimStart().StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase);

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (Writes(command)) Enter();
        return result;
    }

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result,
        CancellationToken cancellationToken = default)
    {
        if (Writes(command)) Enter();
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        if (Writes(command)) Leave();
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Writes(command)) Leave();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (Writes(command)) Enter();
        return result;
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (Writes(command)) Enter();
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        if (Writes(command)) Leave();
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Writes(command)) Leave();
        return ValueTask.FromResult(result);
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        if (Writes(command)) Leave();
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData)
    {
        if (Writes(command)) Leave();
    }

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandCanceled(command, eventData);
        return Task.CompletedTask;
    }

    // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the writer's wait for the lock happens here.
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Begin(eventData.ConnectionId);
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Begin(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Began(eventData.ConnectionId);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Began(eventData.ConnectionId);
        return ValueTask.FromResult(result);
    }

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Began(eventData.ConnectionId);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Began(eventData.ConnectionId);
        return Task.CompletedTask;
    }

    private static void Begin(Guid connection)
    {
        if (Beginning.TryAdd(connection, 0))
        {
            Enter();
        }
    }

    private static void Began(Guid connection)
    {
        if (Beginning.TryRemove(connection, out _))
        {
            Leave();
        }
    }
}
