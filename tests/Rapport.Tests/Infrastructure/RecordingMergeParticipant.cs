using System.Collections.Concurrent;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;

namespace Rapport.Tests.Infrastructure;

/// <summary>A merge participant that only writes down what it was asked to move (merged ids are unique across tests).</summary>
public sealed class RecordingMergeParticipant : IRecordMergeParticipant
{
    public static readonly ConcurrentDictionary<Guid, (string EntityType, Guid SurvivorId)> Moves = new();

    public Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        Moves[mergedId] = (entityType, survivorId);
        return Task.CompletedTask;
    }
}
