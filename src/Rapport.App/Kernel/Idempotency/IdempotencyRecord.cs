using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Idempotency;

/// <summary>
/// The first response to a POST sent with an <c>Idempotency-Key</c>, kept 24 hours per user so a
/// retry replays it instead of acting twice. The row is claimed before the request runs, so
/// concurrent repeats see it and get 409.
/// </summary>
public sealed class IdempotencyRecord : IWorkspaceOwned
{
    public const int KeyMaxLength = 200;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private IdempotencyRecord() { }

    public Guid WorkspaceId { get; private init; }
    public Guid UserId { get; private init; }
    public string Key { get; private init; } = "";
    public string RequestHash { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }
    /// <summary>Set in the same transaction as the request's first write, so a crash after it is never mistaken for "nothing happened".</summary>
    public bool Committed { get; private set; }
    public bool Completed { get; private set; }
    public int StatusCode { get; private set; }
    public string? ContentType { get; private set; }
    public string? Location { get; private set; }
    public string? ETag { get; private set; }
    public byte[]? Body { get; private set; }

    public static IdempotencyRecord Claim(Guid workspaceId, Guid userId, string key, string requestHash, DateTimeOffset now) =>
        new() { WorkspaceId = workspaceId, UserId = userId, Key = key, RequestHash = requestHash, CreatedAt = now };

    /// <summary>An unfinished claim older than this, whose request wrote nothing, was abandoned by a crash and may be taken over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(60);

    public bool IsAbandoned(DateTimeOffset now) => !Completed && !Committed && now - CreatedAt > AbandonedAfter;

    public void MarkCommitted() => Committed = true;

    public void Complete(int statusCode, string? contentType, string? location, string? etag, byte[] body)
    {
        Completed = true;
        StatusCode = statusCode;
        ContentType = contentType;
        Location = location;
        ETag = etag;
        Body = body;
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("kernel_idempotency_records");
        b.HasKey(r => new { r.WorkspaceId, r.UserId, r.Key });
        b.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.ContentType).HasMaxLength(200);
        b.Property(r => r.Location).HasMaxLength(2048);
        b.Property(r => r.ETag).HasMaxLength(100);
        b.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.WorkspaceId, r.CreatedAt });
    }
}
