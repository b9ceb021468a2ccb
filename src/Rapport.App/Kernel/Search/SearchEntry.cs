using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Search;

/// <summary>
/// One searchable field of one record, as search text (<see cref="SearchText"/>). Fields stay apart so a
/// query reaches only the fields the caller may read. Written by the kernel on every save of a record
/// with a search source (<see cref="SearchIndexing"/>), never by modules. Holds personal data.
/// </summary>
public sealed class SearchEntry : IWorkspaceOwned
{
    public const int EntityTypeMaxLength = 50;
    public const int FieldMaxLength = 100;
    public const string Table = "kernel_search_entries";
    /// <summary>SQLite: the FTS5 table indexing <see cref="Text"/> (created by the migration, kept in step by triggers).</summary>
    public const string Fts5Table = "kernel_search_fts";
    /// <summary>SQLite: the row id the FTS5 table refers to.</summary>
    public const string SqliteRowId = "Seq";
    /// <summary>PostgreSQL: the <c>tsvector</c> computed from <see cref="Text"/> with the <c>simple</c> configuration.</summary>
    public const string PostgresDocument = "Document";

    private SearchEntry() { }

    internal SearchEntry(Guid workspaceId, string entityType, Guid recordId, string field, string text)
    {
        WorkspaceId = workspaceId;
        EntityType = entityType;
        RecordId = recordId;
        Field = field;
        Text = text;
    }

    public Guid WorkspaceId { get; private init; }
    public string EntityType { get; private init; } = "";
    public Guid RecordId { get; private init; }
    public string Field { get; private init; } = "";
    public string Text { get; internal set; } = "";
}

/// <summary>
/// SQLite needs an integer primary key for FTS5 to point at (an implicit rowid may change on VACUUM), so
/// there the key is a sequence and the natural key a unique index; PostgreSQL keys on the natural key
/// and indexes a stored <c>tsvector</c> with GIN, led by the workspace (btree_gin).
/// </summary>
internal static class SearchEntryConfiguration
{
    /// <summary>Called by <see cref="Data.RapportDbContext"/>, which knows the provider (so not an <c>IEntityTypeConfiguration</c>).</summary>
    public static void Configure(EntityTypeBuilder<SearchEntry> b, bool sqlite)
    {
        b.ToTable(SearchEntry.Table);
        b.Property(e => e.EntityType).HasMaxLength(SearchEntry.EntityTypeMaxLength);
        b.Property(e => e.Field).HasMaxLength(SearchEntry.FieldMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        if (sqlite)
        {
            b.Property<long>(SearchEntry.SqliteRowId).ValueGeneratedOnAdd();
            b.HasKey(SearchEntry.SqliteRowId);
            b.HasIndex(e => new { e.WorkspaceId, e.EntityType, e.RecordId, e.Field }).IsUnique();
        }
        else
        {
            b.HasKey(e => new { e.WorkspaceId, e.EntityType, e.RecordId, e.Field });
            b.Property<NpgsqlTsVector>(SearchEntry.PostgresDocument).HasComputedColumnSql("to_tsvector('simple'::regconfig, text)", stored: true);
            b.HasIndex(nameof(SearchEntry.WorkspaceId), SearchEntry.PostgresDocument).HasMethod("gin");
        }
    }
}
