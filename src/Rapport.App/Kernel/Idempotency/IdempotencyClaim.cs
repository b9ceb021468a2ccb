namespace Rapport.Kernel.Idempotency;

/// <summary>
/// The idempotency key the current request runs under, if any. <see cref="Data.RapportDbContext"/>
/// marks the claim committed inside the transaction of the request's first write.
/// </summary>
public sealed class IdempotencyClaim
{
    public IdempotencyRecord? Record { get; private set; }
    public bool Committed { get; private set; }

    internal void Hold(IdempotencyRecord record) => Record = record;

    /// <summary>Returns the record to update in the current transaction, once.</summary>
    internal IdempotencyRecord? TakeForCommit()
    {
        if (Record is null || Committed)
        {
            return null;
        }

        Committed = true;
        return Record;
    }

    /// <summary>The save that was to mark the claim committed failed and rolled back: the next write marks it.</summary>
    internal void Release() => Committed = false;
}
