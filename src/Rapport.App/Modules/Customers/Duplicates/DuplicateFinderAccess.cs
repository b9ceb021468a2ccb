using Rapport.Kernel.Api;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// Who uses the duplicate finder: members whose roles let them change and delete records of the type (merging
/// needs both). They see pairs of records they may change and delete, so either one can be kept.
/// </summary>
internal static class DuplicateFinderAccess
{
    public static readonly string[] Entities = [Contact.TypeName, Company.TypeName];

    public static async Task<Outcome<T>?> RefuseAsync<T>(IAccessControl access, string entity, CancellationToken ct)
    {
        if (!Entities.Contains(entity))
        {
            return Outcome<T>.Invalid("entity", "entity is contact or company.");
        }

        return await access.LevelAsync(entity, AccessAction.Update, ct) == AccessLevel.None || await access.LevelAsync(entity, AccessAction.Delete, ct) == AccessLevel.None
            ? Outcome<T>.Forbidden($"Finding and merging duplicates needs the rights to change and to delete {(entity == Contact.TypeName ? "contacts" : "companies")}.")
            : null;
    }

    /// <summary>The records the finder may pair: those the caller may both change and delete.</summary>
    public static async Task<IQueryable<TRecord>> MergeableAsync<TRecord>(IAccessControl access, IQueryable<TRecord> records, string entity, CancellationToken ct)
        where TRecord : class, IOwnedRecord =>
        await access.ScopeAsync(await access.ScopeAsync(records, entity, AccessAction.Delete, ct), entity, AccessAction.Update, ct);
}
