using System.Text.Json.Nodes;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.Audit;

/// <summary>An audit row as the API shows it: <see cref="Changes"/> maps field → {before, after}.</summary>
public sealed record AuditEntryDto(Guid Id, DateTimeOffset At, Guid? UserId, string Action, string EntityType, Guid EntityId, JsonObject Changes, string? TraceId)
{
    public static AuditEntryDto From(AuditEntry a, Func<string, bool>? hidden = null)
    {
        var changes = JsonNode.Parse(a.Changes) as JsonObject ?? [];
        if (hidden is not null)
        {
            foreach (var field in changes.Select(c => c.Key).Where(hidden).ToList())
            {
                changes.Remove(field);
            }
        }

        return new AuditEntryDto(a.Id, a.At, a.UserId, a.Action, a.EntityType, a.EntityId, changes, a.TraceId);
    }

    /// <summary>What audit lists may be filtered and sorted by.</summary>
    public static readonly FieldCatalog<AuditEntry> Fields = new FieldCatalog<AuditEntry>()
        .Instant("at", a => a.At)
        .Text("action", a => a.Action)
        .Text("entityType", a => a.EntityType)
        .Id("entityId", a => a.EntityId)
        .Id("userId", a => a.UserId)
        .Text("traceId", a => a.TraceId);
}
