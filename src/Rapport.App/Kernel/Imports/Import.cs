using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Imports;

public static class ImportModes
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Upsert = "upsert";
    public static readonly IReadOnlyList<string> All = [Create, Update, Upsert];
}

/// <summary>
/// One file brought in (or tried in a dry run) as a <see cref="BackgroundJob"/> of the same id. Its counts and the row it
/// reached are saved with each batch of records, so a run killed mid-way resumes after the last committed row.
/// </summary>
public sealed class Import : WorkspaceEntity
{
    public const string JobKind = "import";
    public const string UndoJobKind = "import-undo";
    public const int FileNameMaxLength = 255;
    /// <summary>How long an import can be undone (and its file and error rows kept).</summary>
    public static readonly TimeSpan UndoRetention = TimeSpan.FromDays(30);
    public const int SampleSize = 20;

    private Import() { }

    private Import(Guid workspaceId, Guid id) : base(workspaceId) => Id = id;

    public string EntityType { get; private set; } = "";
    public string FileName { get; private set; } = "";
    /// <summary>Random name of the uploaded file under the imports folder of the workspace; empty once retention deleted it.</summary>
    public string StoredName { get; private set; } = "";
    public string Format { get; private set; } = "";
    public string? Encoding { get; private set; }
    public string? Delimiter { get; private set; }
    /// <summary>JSON array of the file's column headers (for the error file).</summary>
    public string Headers { get; private set; } = "[]";
    /// <summary>JSON object: column header → field key (absent or null: column ignored).</summary>
    public string Mapping { get; private set; } = "{}";
    public string Mode { get; private set; } = ImportModes.Create;
    /// <summary>The field duplicates are decided by: <c>email</c>, <c>phone</c>, <c>domain</c>, <c>custom.key</c>.</summary>
    public string Key { get; private set; } = "";
    public bool DryRun { get; private set; }
    public Guid CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The file row the import has committed up to (header = 1); a resumed run starts after it.</summary>
    public long LastRow { get; private set; }
    public long Created { get; private set; }
    public long Updated { get; private set; }
    public long Skipped { get; private set; }
    public long Failed { get; private set; }
    /// <summary>Dry runs: what the first rows would become (JSON list).</summary>
    public string? Sample { get; private set; }
    /// <summary>Set by the run that finished the file (with the import's one audit entry), so a re-run after a crash ends at once.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>The job undoing this import, once asked for.</summary>
    public Guid? UndoJobId { get; private set; }
    public DateTimeOffset? UndoneAt { get; private set; }
    /// <summary>Records the undo left alone because someone changed them since the import.</summary>
    public long UndoLeftAlone { get; private set; }

    public static Import Start(BackgroundJob job, string entityType, string fileName, string storedName, string format, string? encoding, string? delimiter,
        string headers, string mapping, string mode, string key, bool dryRun, Guid userId, DateTimeOffset now) => new(job.WorkspaceId, job.Id)
        {
            EntityType = entityType, FileName = fileName.Length > FileNameMaxLength ? fileName[..FileNameMaxLength] : fileName, StoredName = storedName,
            Format = format, Encoding = encoding, Delimiter = delimiter, Headers = headers, Mapping = mapping, Mode = mode, Key = key, DryRun = dryRun,
            CreatedBy = userId, CreatedAt = now,
        };

    /// <summary>A dry run starting over (its findings are not kept between runs).</summary>
    public void Restart()
    {
        LastRow = 0;
        Created = Updated = Skipped = Failed = 0;
        Sample = null;
    }

    public void KeepSample(string sample) => Sample = sample;

    public void Complete(DateTimeOffset now) => CompletedAt = now;

    public bool CanUndo(DateTimeOffset now) => !DryRun && StoredName.Length > 0 && CompletedAt is not null && UndoJobId is null && now - CreatedAt < UndoRetention;

    public void UndoBy(BackgroundJob job) => UndoJobId = job.Id;

    public void LeftAlone(int count) => UndoLeftAlone += count;

    public void Undone(DateTimeOffset now) => UndoneAt = now;
}

public static class ImportActions
{
    public const string Created = "created";
    public const string Updated = "updated";
}

/// <summary>A record an import created or updated: what undo removes or puts back (its fields before, as the API writes them).</summary>
public sealed class ImportRecord : IWorkspaceOwned
{
    private ImportRecord() { }

    public Guid WorkspaceId { get; private init; }
    public Guid ImportId { get; private init; }
    public Guid RecordId { get; private init; }
    public long RowNumber { get; private init; }
    public string Action { get; private init; } = "";
    public string? Before { get; private init; }
    /// <summary>The record's version the import left; a different version at undo means someone changed it since.</summary>
    public int VersionAfter { get; private set; }
    /// <summary>Set by undo when someone changed the record since the import: it stays as it is.</summary>
    public bool LeftAlone { get; private set; }

    public void LeaveAlone() => LeftAlone = true;

    public static ImportRecord For(Guid workspaceId, Guid importId, Guid recordId, long row, string action, string? before, int versionAfter) => new()
    {
        WorkspaceId = workspaceId, ImportId = importId, RecordId = recordId, RowNumber = row, Action = action, Before = before, VersionAfter = versionAfter,
    };

    /// <summary>A later row of the same file changed the record again.</summary>
    public void ChangedAgain(int versionAfter) => VersionAfter = versionAfter;
}

/// <summary>A row an import refused: its cells as they were in the file, and why.</summary>
public sealed class ImportError : IWorkspaceOwned
{
    public const int ReasonMaxLength = 1000;

    private ImportError() { }

    public Guid WorkspaceId { get; private init; }
    public Guid ImportId { get; private init; }
    public long RowNumber { get; private init; }
    public string Reason { get; private init; } = "";
    /// <summary>Skipped (a duplicate, nothing to update) rather than refused.</summary>
    public bool Skipped { get; private init; }
    /// <summary>JSON array of the row's cells.</summary>
    public string Cells { get; private init; } = "[]";

    public static ImportError For(Guid workspaceId, Guid importId, long row, string reason, bool skipped, string cells) => new()
    {
        Skipped = skipped, WorkspaceId = workspaceId, ImportId = importId, RowNumber = row, Reason = reason.Length > ReasonMaxLength ? reason[..ReasonMaxLength] : reason, Cells = cells,
    };
}

internal sealed class ImportConfiguration : IEntityTypeConfiguration<Import>
{
    public void Configure(EntityTypeBuilder<Import> b)
    {
        b.ToTable("kernel_imports");
        b.HasKey(i => new { i.WorkspaceId, i.Id });
        b.Property(i => i.EntityType).HasMaxLength(40);
        b.Property(i => i.FileName).HasMaxLength(Import.FileNameMaxLength);
        b.Property(i => i.StoredName).HasMaxLength(64);
        b.Property(i => i.Format).HasMaxLength(10);
        b.Property(i => i.Encoding).HasMaxLength(20);
        b.Property(i => i.Delimiter).HasMaxLength(2);
        b.Property(i => i.Mode).HasMaxLength(10);
        b.Property(i => i.Key).HasMaxLength(60);
        b.Property(i => i.UndoJobId).IsConcurrencyToken(); // one undo, however many ask at once
        b.HasOne<BackgroundJob>().WithOne().HasForeignKey<Import>(i => new { i.WorkspaceId, i.Id }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.WorkspaceId, i.CreatedAt });
    }
}

internal sealed class ImportRecordConfiguration : IEntityTypeConfiguration<ImportRecord>
{
    public void Configure(EntityTypeBuilder<ImportRecord> b)
    {
        b.ToTable("kernel_import_records");
        b.HasKey(r => new { r.WorkspaceId, r.ImportId, r.RecordId });
        b.Property(r => r.Action).HasMaxLength(10);
        b.HasOne<Import>().WithMany().HasForeignKey(r => new { r.WorkspaceId, r.ImportId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportErrorConfiguration : IEntityTypeConfiguration<ImportError>
{
    public void Configure(EntityTypeBuilder<ImportError> b)
    {
        b.ToTable("kernel_import_errors");
        b.HasKey(e => new { e.WorkspaceId, e.ImportId, e.RowNumber });
        b.Property(e => e.Reason).HasMaxLength(ImportError.ReasonMaxLength);
        b.HasOne<Import>().WithMany().HasForeignKey(e => new { e.WorkspaceId, e.ImportId }).OnDelete(DeleteBehavior.Cascade);
    }
}
