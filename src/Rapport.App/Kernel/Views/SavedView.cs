using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Views;

public enum ViewLayout { Table, Kanban }

/// <summary>
/// A named way of looking at a list: filter (kernel filter language, versioned), sort, columns in
/// order, and table or kanban grouped by a single-select field. Private views are seen by their
/// owner only; shared views by the whole workspace.
/// </summary>
[EntityName(TypeName)]
public sealed class SavedView : WorkspaceEntity
{
    public const string TypeName = "view";
    public const int NameMaxLength = 100;
    public const int FilterMaxLength = 8000;
    public const int SortMaxLength = 200;
    public const int FieldMaxLength = 100;
    public const int MaxColumns = 50;
    /// <summary>The version of the filter language stored filters are written in; a later change of the language bumps it.</summary>
    public const int CurrentFilterVersion = 1;

    private SavedView() { }

    public string EntityType { get; private init; } = "";
    public string Name { get; private set; } = "";
    public Guid OwnerId { get; private set; }
    public bool Shared { get; private set; }
    /// <summary>A filter tree as JSON text, or null for no filter.</summary>
    public string? Filter { get; private set; }
    public int FilterVersion { get; private set; } = CurrentFilterVersion;
    public string? Sort { get; private set; }
    /// <summary>Column keys in display order; empty means the entity's default columns.</summary>
    public List<string> Columns { get; private set; } = [];
    public ViewLayout Layout { get; private set; }
    /// <summary>The single-select field a kanban groups by.</summary>
    public string? GroupBy { get; private set; }
    public int Version { get; private set; } = 1;

    public static SavedView Create(string entityType, Guid ownerId, ViewFields fields)
    {
        var view = new SavedView { EntityType = entityType, OwnerId = ownerId };
        view.Change(fields);
        return view;
    }

    public void Change(ViewFields fields)
    {
        Name = fields.Name.Trim();
        Shared = fields.Shared;
        Filter = fields.Filter is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined } f ? f.GetRawText() : null;
        FilterVersion = fields.FilterVersion ?? CurrentFilterVersion;
        Sort = string.IsNullOrWhiteSpace(fields.Sort) ? null : fields.Sort.Replace(" ", "", StringComparison.Ordinal);
        Columns = [.. fields.Columns ?? []];
        Layout = fields.Layout;
        GroupBy = string.IsNullOrWhiteSpace(fields.GroupBy) ? null : fields.GroupBy.Trim();
    }

    /// <summary>Who may see it: its owner, and everyone when it is shared.</summary>
    public bool VisibleTo(Guid? userId) => Shared || OwnerId == userId;
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.ToTable("kernel_saved_views");
        b.HasKey(v => new { v.WorkspaceId, v.Id });
        b.Property(v => v.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.Property(v => v.Name).HasMaxLength(SavedView.NameMaxLength);
        b.Property(v => v.Filter).HasMaxLength(SavedView.FilterMaxLength);
        b.Property(v => v.Sort).HasMaxLength(SavedView.SortMaxLength);
        b.Property(v => v.GroupBy).HasMaxLength(SavedView.FieldMaxLength);
        b.Property(v => v.Layout).HasConversion<string>().HasMaxLength(10);
        b.PrimitiveCollection(v => v.Columns);
        b.Property(v => v.Version).IsConcurrencyToken();
        b.HasOne<Workspace>().WithMany().HasForeignKey(v => v.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(v => new { v.WorkspaceId, v.OwnerId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(v => new { v.WorkspaceId, v.EntityType, v.OwnerId, v.Name }).IsUnique();
        b.HasIndex(v => new { v.WorkspaceId, v.EntityType, v.Shared });
    }
}
