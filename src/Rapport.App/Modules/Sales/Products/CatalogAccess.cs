using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>
/// Access to the sales catalog (products, price books, exchange rates): shared data without owners, so a role
/// reaches all of it or none of it. 404 for what one cannot read, 403 for what one may read but not change.
/// </summary>
internal static class CatalogAccess
{
    public static async Task<bool> AllowsAsync(IAccessControl access, string entity, AccessAction action, CancellationToken ct) =>
        await access.LevelAsync(entity, action, ct) == AccessLevel.All;

    /// <summary>Null when allowed, else a 403 naming what was refused (creates, lists).</summary>
    public static async Task<Outcome<T>?> RequireAsync<T>(IAccessControl access, string entity, AccessAction action, string what, CancellationToken ct) =>
        await AllowsAsync(access, entity, action, ct) ? null : Outcome<T>.Forbidden($"Your roles do not allow you to {Verb(action)} {what}.");

    /// <summary>
    /// Loads one record for <paramref name="action"/>: for those who may not read the catalog → 404; for readers who may
    /// not act → 403 (whether or not the record exists: they see the whole catalog anyway); then missing → 404.
    /// </summary>
    public static async Task<(T? Record, Outcome<TDto>? Refusal)> LoadForAsync<T, TDto>(
        IQueryable<T> records, IAccessControl access, string entity, Guid id, AccessAction action, CancellationToken ct)
        where T : WorkspaceEntity
    {
        if (!await AllowsAsync(access, entity, AccessAction.Read, ct))
        {
            return (null, Outcome<TDto>.NotFound());
        }

        if (action != AccessAction.Read && !await AllowsAsync(access, entity, action, ct))
        {
            return (null, Outcome<TDto>.Forbidden($"Your roles do not allow you to {Verb(action)} this {entity.Replace('-', ' ')}."));
        }

        return await records.SingleOrDefaultAsync(r => r.Id == id, ct) is { } record ? (record, null) : (null, Outcome<TDto>.NotFound());
    }

    private static string Verb(AccessAction action) => action switch
    {
        AccessAction.Update => "change",
        AccessAction.Delete => "delete or restore",
        _ => action.ToString().ToLowerInvariant(),
    };
}
