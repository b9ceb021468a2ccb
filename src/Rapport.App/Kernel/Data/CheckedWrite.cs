using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Data;

/// <summary>
/// A create or change that passed every check of its use case (rights, field rights, validation, duplicates) and has
/// not touched the context yet, so a refusal leaves nothing behind. The use case's own endpoint calls
/// <see cref="SaveAsync"/>; a batch (<see cref="Bulk.BatchWrites"/>) applies many and saves them together.
/// </summary>
public abstract class CheckedWrite<TSelf>(RapportDbContext db, IBusinessRecord record, bool creates, IReadOnlyCollection<string> batchKeys, Action apply)
    where TSelf : CheckedWrite<TSelf>
{
    private bool _applied;

    protected RapportDbContext Db { get; } = db;

    /// <summary>The record created or changed; its id and version are final once saved.</summary>
    public IBusinessRecord Record => record;

    public bool Creates => creates;

    /// <summary>Values no two items of one batch may both bring in (an email, a domain): the database only knows the saved ones.</summary>
    public IReadOnlyCollection<string> BatchKeys => batchKeys;

    /// <summary>The refusal when item <paramref name="earlierIndex"/> of the same batch already brings in one of <see cref="BatchKeys"/>.</summary>
    public abstract Outcome<TSelf> Clash(int earlierIndex);

    /// <summary>The refusal when the database reports a unique value taken (by a write it saw first).</summary>
    protected abstract Task<Outcome<TSelf>> TakenAsync(CancellationToken ct);

    /// <summary>Puts the write into the context, unsaved (once).</summary>
    public void Apply()
    {
        if (!_applied)
        {
            apply();
            _applied = true;
        }
    }

    /// <summary>Applies and saves this write alone, turning what the database refuses into the use case's refusal.</summary>
    public async Task<Outcome<TSelf>> SaveAsync(CancellationToken ct)
    {
        Apply();
        try
        {
            // A change's version read in the check is the original value EF compares: a concurrent writer makes it match no row.
            await Db.SaveChangesAsync(ct);
            return Outcome<TSelf>.Ok((TSelf)this);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TSelf>.Stale();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return await TakenAsync(ct);
        }
    }
}
