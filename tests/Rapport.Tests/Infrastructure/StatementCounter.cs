using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rapport.Kernel.Data;

namespace Rapport.Tests.Infrastructure;

/// <summary>Counts the SQL statements the host sends per workspace, so a test can prove work is batched and not one statement per row.</summary>
public sealed class StatementCounter : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();

    public int For(Guid workspaceId) => _counts.GetValueOrDefault(workspaceId);

    public void Reset(Guid workspaceId) => _counts[workspaceId] = 0;

    private void Count(CommandEventData data)
    {
        if (data.Context is RapportDbContext { WorkspaceId: { } workspace })
        {
            _counts.AddOrUpdate(workspace, 1, (_, n) => n + 1);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }
}
