using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rapport.Kernel.Data;

/// <summary>
/// The statements a leased SQLite connection (<see cref="SqliteConnectionLeases"/>) has compiled, kept by their SQL text for
/// the next query with the same text: EF Core sends the same text for the same LINQ query, with only its parameters
/// changing. When EF Core has made its command (text, parameters, transaction), <see cref="Interceptor"/> hands it the kept
/// command with that text instead, given the same parameters; EF Core's dispose gives it back. Each connection keeps the
/// <see cref="Capacity"/> texts used last. Used by one DbContext at a time, like the connection.
/// </summary>
internal sealed class SqliteKeptStatements
{
    public const int Capacity = 64; // a statement of a record read holds about 27 KB

    public static readonly IInterceptor Interceptor = new Swap();

    private static readonly ConditionalWeakTable<SqliteConnection, SqliteKeptStatements> Kept = [];

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, LinkedListNode<KeptCommand>> _idle = new(StringComparer.Ordinal);
    private readonly LinkedList<KeptCommand> _recent = []; // the most recently given back first
    private bool _closing;

    private SqliteKeptStatements(SqliteConnection connection) => _connection = connection;

    public static void Attach(SqliteConnection connection) => Kept.Add(connection, new SqliteKeptStatements(connection));

    /// <summary>Whether the connection is a leased one (opened and set up by <see cref="SqliteConnectionLeases"/>).</summary>
    public static bool IsLeased(DbConnection connection) => connection is SqliteConnection sqlite && Kept.TryGetValue(sqlite, out _);

    /// <summary>Finalizes the kept statements of a connection about to close.</summary>
    public static void Detach(SqliteConnection connection)
    {
        if (!Kept.TryGetValue(connection, out var kept))
        {
            return;
        }

        kept._closing = true;
        foreach (var command in kept._recent)
        {
            command.Dispose();
        }

        kept._idle.Clear();
        kept._recent.Clear();
        Kept.Remove(connection);
    }

    /// <summary>The kept command for EF Core's new one, given its parameters, transaction and timeout; EF Core's own if its connection keeps none.</summary>
    private static DbCommand Exchange(DbCommand made)
    {
        if (made is not SqliteCommand { Connection: { } connection } fresh || made is KeptCommand || !Kept.TryGetValue(connection, out var kept))
        {
            return made;
        }

        var command = kept.Take(fresh.CommandText);
        command.Transaction = fresh.Transaction;
        command.CommandTimeout = fresh.CommandTimeout;
        var parameters = fresh.Parameters.Cast<SqliteParameter>().ToArray();
        fresh.Parameters.Clear();
        command.Parameters.AddRange(parameters);
        fresh.Dispose();
        return command;
    }

    private KeptCommand Take(string sql)
    {
        if (_idle.Remove(sql, out var node))
        {
            _recent.Remove(node);
            return node.Value;
        }

        return new KeptCommand(this) { Connection = _connection, CommandText = sql };
    }

    /// <summary>Keeps a command given back, unless its connection is closing, its rows are still being read, or its text is kept already.</summary>
    private bool Keep(KeptCommand command)
    {
        if (_closing || KeptCommand.OpenReader(command) is not null || _idle.ContainsKey(command.CommandText))
        {
            return false;
        }

        command.Parameters.Clear();
        command.Transaction = null;
        _idle[command.CommandText] = _recent.AddFirst(command);
        if (_recent.Count > Capacity)
        {
            var oldest = _recent.Last!.Value;
            _recent.RemoveLast();
            _idle.Remove(oldest.CommandText);
            oldest.Discard();
        }

        return true;
    }

    /// <summary>A command whose dispose gives it back to its connection's kept statements (until they let it go).</summary>
    private sealed class KeptCommand(SqliteKeptStatements owner) : SqliteCommand
    {
        private bool _discarded;

        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_DataReader")]
        public static extern SqliteDataReader? OpenReader(SqliteCommand command);

        public void Discard()
        {
            _discarded = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_discarded && owner.Keep(this))
            {
                return;
            }

            _discarded = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Swaps in kept commands; and since EF Core makes the command of ExecuteNonQuery and ExecuteScalar before it opens the
    /// connection (on its own, closed one), moves such a command to the connection rented meanwhile.
    /// </summary>
    private sealed class Swap : DbCommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result) => Exchange(result);

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Rent(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            Rent(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Rent(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
            CancellationToken cancellationToken = default)
        {
            Rent(command, eventData);
            return ValueTask.FromResult(result);
        }

        private static void Rent(DbCommand command, CommandEventData eventData)
        {
            if (command is SqliteCommand { Connection.State: ConnectionState.Closed } made
                && eventData.Context?.Database.GetDbConnection() is SqliteConnection { State: ConnectionState.Open } rented)
            {
                made.Connection = rented;
            }
        }
    }
}
