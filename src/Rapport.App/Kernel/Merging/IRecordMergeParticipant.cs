using Rapport.Kernel.Data;

namespace Rapport.Kernel.Merging;

/// <summary>
/// A module's rows that point at a record (notes and files linked to a contact, deals of a company…).
/// When duplicates are merged, every registered participant moves its rows from each merged record
/// to the survivor, through the change tracker, inside the merge's one transaction.
/// Register with <c>services.AddScoped&lt;IRecordMergeParticipant, …&gt;()</c>.
/// </summary>
public interface IRecordMergeParticipant
{
    /// <summary>Re-points this module's rows from <paramref name="mergedId"/> to <paramref name="survivorId"/>; both are records of <paramref name="entityType"/> (<c>contact</c>, <c>company</c>).</summary>
    Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct);
}
