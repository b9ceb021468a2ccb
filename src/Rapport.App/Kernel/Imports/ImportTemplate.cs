using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Imports;

/// <summary>
/// A mapping kept for the next file of the same kind: which field each column header goes to (null: not imported), with the
/// mode and key to import by. Shared by the workspace's members who may import the entity; the name is unique per entity.
/// </summary>
[EntityName(TypeName)]
public sealed class ImportTemplate : WorkspaceEntity
{
    public const string TypeName = "importTemplate";
    public const int NameMaxLength = 100;
    public const int MaxColumns = 500;
    public const int ColumnMaxLength = 200;

    private ImportTemplate() { }

    public string EntityType { get; private init; } = "";
    public string Name { get; private init; } = "";
    /// <summary>JSON object: column header → field key, or null for a column left out.</summary>
    public string Mapping { get; private init; } = "{}";
    public string Mode { get; private init; } = ImportModes.Create;
    public string Key { get; private init; } = "";
    public Guid CreatedBy { get; private init; }
    public DateTimeOffset CreatedAt { get; private init; }
    public int Version { get; private set; } = 1;

    public static ImportTemplate Create(string entityType, string name, IReadOnlyDictionary<string, string?> mapping, string mode, string key, Guid userId, DateTimeOffset now) =>
        new()
        {
            EntityType = entityType, Name = name.Trim(), Mapping = JsonSerializer.Serialize(mapping), Mode = mode, Key = key, CreatedBy = userId, CreatedAt = now,
        };

    /// <summary>Its author may delete it, and so may whoever may import every record of its type.</summary>
    public bool MayBeDeletedBy(Guid? userId, AccessLevel importLevel) => importLevel == AccessLevel.All || CreatedBy == userId;
}

/// <param name="Mapping">Column header → field key (null: the column is not imported).</param>
public sealed record ImportTemplateFields(string? Entity, string? Name, IReadOnlyDictionary<string, string?>? Mapping, string? Mode = null, string? Key = null);

public sealed record ImportTemplateDto(
    Guid Id, string Entity, string Name, IReadOnlyDictionary<string, string?> Mapping, string Mode, string Key, Guid CreatedBy, DateTimeOffset CreatedAt,
    bool CanDelete, int Version)
{
    public static ImportTemplateDto From(ImportTemplate t, bool canDelete) => new(
        t.Id, t.EntityType, t.Name, JsonSerializer.Deserialize<Dictionary<string, string?>>(t.Mapping) ?? [], t.Mode, t.Key, t.CreatedBy, t.CreatedAt, canDelete, t.Version);

    /// <summary>How many of the template's columns a file has (headers compared as <see cref="ColumnMatcher.Normalize"/> does).</summary>
    public int MatchingColumns(IEnumerable<string> headers)
    {
        var file = headers.Select(ColumnMatcher.Normalize).ToHashSet(StringComparer.Ordinal);
        return Mapping.Keys.Count(c => file.Contains(ColumnMatcher.Normalize(c)));
    }

    /// <summary>
    /// The template applied to a file: each header the template knows gets its field, the others keep <paramref name="current"/>'s.
    /// A field the template gives a column is taken from any other column that had it, so no field is mapped twice.
    /// </summary>
    public Dictionary<string, string?> ApplyTo(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string?> current)
    {
        var known = Mapping.GroupBy(m => ColumnMatcher.Normalize(m.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var applied = headers.ToDictionary(h => h, h => known.TryGetValue(ColumnMatcher.Normalize(h), out var field) ? field : current.GetValueOrDefault(h));
        var given = headers.Where(h => known.ContainsKey(ColumnMatcher.Normalize(h))).Select(h => applied[h]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var header in headers.Where(h => !known.ContainsKey(ColumnMatcher.Normalize(h)) && applied[h] is { } f && given.Contains(f)))
        {
            applied[header] = null;
        }

        return applied;
    }
}

internal sealed class ImportTemplateConfiguration : IEntityTypeConfiguration<ImportTemplate>
{
    public void Configure(EntityTypeBuilder<ImportTemplate> b)
    {
        b.ToTable("kernel_import_templates");
        b.HasKey(t => new { t.WorkspaceId, t.Id });
        b.Property(t => t.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.Property(t => t.Name).HasMaxLength(ImportTemplate.NameMaxLength);
        b.Property(t => t.Mode).HasMaxLength(10);
        b.Property(t => t.Key).HasMaxLength(60);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => new { t.WorkspaceId, t.EntityType, t.Name }).IsUnique();
    }
}
