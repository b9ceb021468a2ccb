using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rapport.Kernel.Data;

namespace Rapport.Tests.Infrastructure;

/// <summary>Counts the SQL statements the host sends per workspace, so a test can prove work is batched and not one statement per row.</summary>
public sealed class StatementCounter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<SentStatement>> _statements = new();

    public int For(Guid workspaceId) => _statements.TryGetValue(workspaceId, out var sent) ? sent.Count : 0;

    /// <summary>The SQL sent for the workspace since the last <see cref="Reset"/>.</summary>
    public IReadOnlyList<string> Sql(Guid workspaceId) => [.. Sent(workspaceId).Select(s => s.Sql)];

    /// <summary>The statements sent for the workspace since the last <see cref="Reset"/>, with their parameters (to ask the database for their plan).</summary>
    public IReadOnlyList<SentStatement> Sent(Guid workspaceId) => _statements.TryGetValue(workspaceId, out var sent) ? [.. sent] : [];

    public void Reset(Guid workspaceId) => _statements[workspaceId] = new ConcurrentQueue<SentStatement>();

    private void Count(DbCommand command, CommandEventData data)
    {
        if (data.Context is RapportDbContext { WorkspaceId: { } workspace })
        {
            var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList();
            _statements.GetOrAdd(workspace, _ => new ConcurrentQueue<SentStatement>()).Enqueue(new SentStatement(command.CommandText, parameters, command, command.Connection));
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count(command, eventData);
        return ValueTask.FromResult(result);
    }
}

/// <param name="Command">The ADO.NET command that ran it, and <paramref name="Connection"/> its connection (to see statements kept and reused).</param>
public sealed record SentStatement(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, DbCommand Command, DbConnection? Connection);
