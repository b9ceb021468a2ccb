using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Rapport.Kernel.Data;

/// <summary>
/// An EF Core compiled query (<see cref="EF.CompileAsyncQuery{TContext,TParam1,TResult}(System.Linq.Expressions.Expression{Func{TContext,TParam1,TResult}})"/>)
/// for each model it runs against: one serves a single model, and a process may hold two (the tests run SQLite and PostgreSQL
/// side by side). For the hottest reads, which EF Core would otherwise translate anew (or look up) on every request.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = [];

    public TQuery For(DbContext db) => _compiled.TryGetValue(db.Model, out var query) ? query : _compiled.GetValue(db.Model, _ => compile());
}
