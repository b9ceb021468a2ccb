namespace Rapport.Kernel.Entities;

/// <summary>A row that belongs to one workspace. The data layer stamps and filters <see cref="WorkspaceId"/>.</summary>
public interface IWorkspaceOwned
{
    Guid WorkspaceId { get; }
}

/// <summary>A record users edit: audited, versioned for optimistic concurrency, soft-deleted into the trash.</summary>
public interface IBusinessRecord : IWorkspaceOwned
{
    Guid Id { get; }
    int Version { get; }
    DateTimeOffset CreatedAt { get; }
    DateTimeOffset UpdatedAt { get; }
    DateTimeOffset? DeletedAt { get; }
}

/// <summary>A record with an owner (a workspace member) and optionally a team: what record-level access is decided on.</summary>
public interface IOwnedRecord
{
    Guid Id { get; }
    Guid? OwnerId { get; }
    Guid? TeamId { get; }
}

public abstract class WorkspaceEntity : IWorkspaceOwned
{
    protected WorkspaceEntity() { }

    /// <summary>For rows created together with dependents: the workspace is known up front instead of stamped on save.</summary>
    protected WorkspaceEntity(Guid workspaceId) => WorkspaceId = workspaceId;

    public Guid WorkspaceId { get; private set; }
    public Guid Id { get; protected init; } = Ids.NewV7();

    /// <summary>What a save does for a row added without a workspace (for rows written without the change tracker).</summary>
    internal void StampWorkspace(Guid workspaceId) => WorkspaceId = workspaceId;
}

/// <summary>
/// Base of every business record. Timestamps, authors and <see cref="Version"/> are set by
/// <see cref="Data.RapportDbContext"/> on save, never by handlers.
/// </summary>
public abstract class BusinessRecord : WorkspaceEntity, IBusinessRecord
{
    protected BusinessRecord() { }

    /// <inheritdoc cref="WorkspaceEntity(Guid)"/>
    protected BusinessRecord(Guid workspaceId) : base(workspaceId) { }

    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid? CreatedBy { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public Guid? UpdatedBy { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    public Guid? DeletedBy { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>What a save stamps on a created record (for records written without the change tracker).</summary>
    internal void StampCreated(DateTimeOffset at, Guid? by)
    {
        Version = 1;
        CreatedAt = UpdatedAt = at;
        CreatedBy = UpdatedBy = by;
    }

    /// <summary>Moves the record to the trash; <see cref="Restore"/> brings it back within <see cref="TrashRetention"/>.</summary>
    public void MoveToTrash(DateTimeOffset at, Guid? by)
    {
        DeletedAt = at;
        DeletedBy = by;
    }

    public void Restore()
    {
        DeletedAt = null;
        DeletedBy = null;
    }

    public static readonly TimeSpan TrashRetention = TimeSpan.FromDays(30);
}
