using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Audit;

/// <summary>
/// One append-only audit row: who did what to which record, with field-level before/after values.
/// Written in the same transaction as the change; <see cref="Data.RapportDbContext"/> refuses to
/// update or delete it.
/// </summary>
public sealed class AuditEntry : WorkspaceEntity
{
    public const int EntityTypeMaxLength = 64;
    public const int ActionMaxLength = 32;
    public const int TraceIdMaxLength = 64;

    private AuditEntry() { }

    public DateTimeOffset At { get; private init; }
    public Guid? UserId { get; private init; }
    /// <summary>create, update, delete, restore, purge, or a job's verb.</summary>
    public string Action { get; private init; } = "";
    /// <summary>Singular API name of the entity type, e.g. <c>company</c>.</summary>
    public string EntityType { get; private init; } = "";
    public Guid EntityId { get; private init; }
    /// <summary>JSON object: field → {"before":…, "after":…}.</summary>
    public string Changes { get; private init; } = "{}";
    public string? TraceId { get; private init; }

    internal static AuditEntry Create(
        DateTimeOffset at, Guid? userId, string action, string entityType, Guid entityId, string changes, string? traceId) => new()
    {
        At = at, UserId = userId, Action = action, EntityType = entityType, EntityId = entityId, Changes = changes, TraceId = traceId,
    };
}

public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Restore = "restore";
    public const string Purge = "purge";
    /// <summary>A merge job: one entry on the survivor listing the merged records (their own rows get field-level entries).</summary>
    public const string Merge = "merge";
    /// <summary>A sensitive read: one entry per export, naming its format, filter, sort, columns and row count.</summary>
    public const string Export = "export";
    /// <summary>An import job: one entry on the import with its file, mode and counts (the records carry their own entries).</summary>
    public const string Import = "import";
    /// <summary>The undo of an import: one entry on the import with what was removed, put back and left alone.</summary>
    public const string ImportUndo = "import-undo";
}

/// <summary>
/// A property the audit leaves out: derived from audited fields (a normalized match key), so recording it
/// would only repeat them — and could show a hidden field's value through its derivative.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>Marks an entity's API name for audit rows, filters and errors.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EntityNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
