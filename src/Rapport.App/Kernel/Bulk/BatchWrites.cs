using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Bulk;

/// <summary>One item of a batch: the record it changes (none: it creates one), the version it expects, and its fields.</summary>
public sealed record BatchItem(int Index, Guid? Id, IfMatch IfMatch, JsonElement Fields)
{
    public static Outcome<BatchItem> Read(int index, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Outcome<BatchItem>.Invalid("body", "Each item must be a JSON object.");
        }

        var fields = JsonObject.Create(item)!;
        Guid? id = null;
        if (fields.Remove("id", out var idNode))
        {
            if (idNode is not JsonValue value || !value.TryGetValue<string>(out var text) || !Guid.TryParse(text, out var parsed))
            {
                return Outcome<BatchItem>.Invalid("id", "id must be the id of a record to change.");
            }

            id = parsed;
        }

        var ifMatch = IfMatch.Any;
        if (fields.Remove("version", out var versionNode))
        {
            if (id is null)
            {
                return Outcome<BatchItem>.Invalid("version", "version goes with the id of the record to change.");
            }

            if (versionNode is not JsonValue value || !value.TryGetValue<int>(out var version) || version < 1)
            {
                return Outcome<BatchItem>.Invalid("version", "version must be the record's version (its ETag), a whole number.");
            }

            ifMatch = new IfMatch(true, version);
        }

        return Outcome<BatchItem>.Ok(new BatchItem(index, id, ifMatch, JsonSerializer.SerializeToElement(fields)));
    }
}

/// <summary>
/// Runs a batch of creates and changes through the use cases' own checks, in order, as if they were sent one by one,
/// and writes the accepted ones <see cref="ChunkSize"/> at a time, one transaction per chunk. What the database cannot
/// know before a chunk is saved is checked here: keys an earlier item brings in (<see cref="CheckedWrite{TSelf}.BatchKeys"/>),
/// and a second change of one record, which waits for the first to be saved. When the database refuses a chunk (a
/// unique value, a change someone made meanwhile), the chunk is rolled back and its items are checked and saved
/// again one by one, so each gets its own answer and no item's refusal undoes another.
/// </summary>
public static class BatchWrites
{
    public const int ChunkSize = 200;

    /// <summary>
    /// Refuses the whole batch when it is empty or too long, or when the caller's roles allow neither creating nor
    /// changing records of the type (no item could succeed); otherwise answers per item, in the order of the items.
    /// </summary>
    public static async Task<Outcome<BatchResult>> RunAsync<TWrite>(
        RapportDbContext db, IAccessControl access, string entity, BatchRequest request,
        Func<BatchItem, CancellationToken, Task<Outcome<TWrite>>> check, CancellationToken ct)
        where TWrite : CheckedWrite<TWrite>
    {
        if (request.Items is not { Count: > 0 and <= BatchRequest.MaxItems })
        {
            return Outcome<BatchResult>.Invalid("items", $"Send 1 to {BatchRequest.MaxItems} items.");
        }

        if (await access.LevelAsync(entity, AccessAction.Create, ct) == AccessLevel.None
            && await access.LevelAsync(entity, AccessAction.Update, ct) == AccessLevel.None)
        {
            return Outcome<BatchResult>.Forbidden($"Your roles do not allow you to create or change {entity} records.");
        }

        var run = new Run<TWrite>(db, check);
        await run.ExecuteAsync(request.Items, ct);
        var results = run.Results;
        return Outcome<BatchResult>.Ok(new BatchResult(results,
            results.Count(r => r.Status == BatchStatus.Created), results.Count(r => r.Status == BatchStatus.Updated), results.Count(r => r.Status == BatchStatus.Failed)));
    }

    private sealed class Run<TWrite>(RapportDbContext db, Func<BatchItem, CancellationToken, Task<Outcome<TWrite>>> check)
        where TWrite : CheckedWrite<TWrite>
    {
        private readonly Dictionary<string, int> _claimed = new(StringComparer.Ordinal);
        private readonly List<(BatchItem Item, TWrite Write)> _pending = [];
        private BatchItemResult[] _results = [];

        public IReadOnlyList<BatchItemResult> Results => _results;

        public async Task ExecuteAsync(IReadOnlyList<JsonElement> items, CancellationToken ct)
        {
            _results = new BatchItemResult[items.Count];
            for (var index = 0; index < items.Count; index++)
            {
                var item = BatchItem.Read(index, items[index]);
                if (!item.IsOk)
                {
                    _results[index] = BatchItemResult.Failed(index, item);
                    continue;
                }

                if (item.Value!.Id is { } id && _pending.Any(p => p.Write.Record.Id == id))
                {
                    // A second change of one record applies to the first as saved (its new version), as if sent one after the other.
                    await FlushAsync(ct);
                }

                if (await CheckAsync(item.Value, ct) is { } write)
                {
                    write.Apply();
                    _pending.Add((item.Value, write));
                    if (_pending.Count >= ChunkSize)
                    {
                        await FlushAsync(ct);
                    }
                }
            }

            await FlushAsync(ct);
        }

        /// <summary>The item's write when it passes its use case's checks and brings in no key an earlier item claimed; else its refusal is recorded.</summary>
        private async Task<TWrite?> CheckAsync(BatchItem item, CancellationToken ct)
        {
            var write = await check(item, ct);
            if (write.IsOk && write.Value!.BatchKeys.FirstOrDefault(_claimed.ContainsKey) is { } taken)
            {
                write = write.Value.Clash(_claimed[taken]);
            }

            if (!write.IsOk)
            {
                _results[item.Index] = BatchItemResult.Failed(item.Index, write);
                return default;
            }

            foreach (var key in write.Value!.BatchKeys)
            {
                _claimed[key] = item.Index;
            }

            return write.Value;
        }

        private async Task FlushAsync(CancellationToken ct)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            try
            {
                await db.SaveChangesAsync(ct);
                foreach (var (item, write) in _pending)
                {
                    _results[item.Index] = Done(item.Index, write);
                }
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e))
            {
                // The chunk's transaction rolled back: start from what the database holds, one item at a time.
                db.ChangeTracker.Clear();
                foreach (var key in _pending.SelectMany(p => p.Write.BatchKeys))
                {
                    _claimed.Remove(key);
                }

                foreach (var (item, _) in _pending)
                {
                    await SaveAloneAsync(item, ct);
                    db.ChangeTracker.Clear();
                }
            }
            finally
            {
                _pending.Clear();
                db.ChangeTracker.Clear(); // nothing of a saved chunk is needed again: keeps change detection cheap
            }
        }

        private async Task SaveAloneAsync(BatchItem item, CancellationToken ct)
        {
            if (await CheckAsync(item, ct) is not { } write)
            {
                return;
            }

            var saved = await write.SaveAsync(ct);
            if (saved.IsOk)
            {
                _results[item.Index] = Done(item.Index, write);
                return;
            }

            foreach (var key in write.BatchKeys)
            {
                _claimed.Remove(key);
            }

            _results[item.Index] = BatchItemResult.Failed(item.Index, saved);
        }

        private static BatchItemResult Done(int index, TWrite write) =>
            new(index, write.Creates ? BatchStatus.Created : BatchStatus.Updated, write.Record.Id, write.Record.Version);
    }
}
