using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>
/// An attachment: the name it was uploaded with, its type as told by its content, its size and hash, and the random
/// name its bytes are stored under (<see cref="FileStore"/>). Linked to records through activity links; deleting moves
/// it to the trash, and the purge job removes the bytes with the row.
/// </summary>
[EntityName(TypeName)]
public sealed class StoredFile : BusinessRecord
{
    public const string TypeName = "file";
    public const int NameMaxLength = 255;
    public const int ContentTypeMaxLength = 100;
    public const int StorageNameMaxLength = 64;

    private StoredFile() { }

    private StoredFile(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private init; } = "";
    public string ContentType { get; private init; } = "";
    public long Size { get; private init; }
    public string Sha256 { get; private init; } = "";
    public string StorageName { get; private init; } = "";
    public Guid? UploadedBy { get; private init; }

    public static StoredFile Create(Guid workspaceId, Guid? uploadedBy, string name, FileType type, long size, string sha256, string storageName) =>
        new(workspaceId)
        {
            Name = CleanName(name, type), ContentType = type.ContentType, Size = size, Sha256 = sha256, StorageName = storageName, UploadedBy = uploadedBy,
        };

    /// <summary>No path, no control characters, at most <see cref="NameMaxLength"/> characters, keeping the extension.</summary>
    public static string CleanName(string name, FileType type)
    {
        var clean = new string([.. Path.GetFileName(name).Where(c => !char.IsControl(c) && c is not ('"' or '\\' or '/'))]).Trim();
        var extension = Path.GetExtension(clean);
        if (clean.Length > NameMaxLength)
        {
            clean = clean[..(NameMaxLength - extension.Length)] + extension;
        }

        return clean.Length == 0 || clean == extension ? "file" + type.Extensions[0] : clean;
    }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> b)
    {
        b.ToTable("collaboration_files");
        b.HasKey(f => new { f.WorkspaceId, f.Id });
        b.Property(f => f.Name).HasMaxLength(StoredFile.NameMaxLength);
        b.Property(f => f.ContentType).HasMaxLength(StoredFile.ContentTypeMaxLength);
        b.Property(f => f.Sha256).HasMaxLength(64);
        b.Property(f => f.StorageName).HasMaxLength(StoredFile.StorageNameMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(f => new { f.WorkspaceId, f.UploadedBy }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => new { f.WorkspaceId, f.CreatedAt, f.Id });
    }
}
