using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.CustomFields;

/// <summary>The kinds of value a custom field holds.</summary>
public enum CustomFieldType
{
    Text, LongText, Number, Currency, Percent, Date, DateTime, YesNo, SingleSelect, MultiSelect, Url, Email, Phone, Link,
}

/// <summary>A pick-list option: a stable key (stored in records) and its label in each language.</summary>
public sealed record CustomFieldOption(string Key, string Label, string? LabelZh = null);

/// <summary>
/// A workspace's definition of an extra field on an entity type (contact, company, and any later one):
/// its key (the API name after <c>custom.</c>), type, labels, options and rules. Record values live in
/// the record's JSON column under <see cref="StorageKey"/>, so a key can be renamed without touching records.
/// </summary>
[EntityName("customField")]
public sealed partial class CustomField : BusinessRecord, IWorkspaceConfiguration
{
    public const int KeyMaxLength = 40;
    public const int LabelMaxLength = 100;
    public const int DescriptionMaxLength = 500;
    public const int MaxOptions = 200;
    public const int MaxFieldsPerEntity = 200;
    public const int TextMaxLength = 500;
    public const int LongTextMaxLength = 10_000;

    private CustomField() { }

    private CustomField(Guid workspaceId) : base(workspaceId) { }

    public string EntityType { get; private set; } = "";
    public string Key { get; private set; } = "";
    public CustomFieldType Type { get; private set; }
    public string Label { get; private set; } = "";
    public string? LabelZh { get; private set; }
    public string? Description { get; private set; }
    public List<CustomFieldOption> Options { get; private set; } = [];
    public bool Required { get; private set; }
    public bool Unique { get; private set; }
    /// <summary>Sortable fields (and unique ones) get an expression index of their own.</summary>
    public bool Sortable { get; private set; }
    /// <summary>The default as stored (normalized JSON), applied on create when no value is given.</summary>
    public string? DefaultValue { get; private set; }
    /// <summary>ISO 4217 code of a currency field's amounts.</summary>
    public string? Currency { get; private set; }
    /// <summary>The entity type a link field points to (<c>contact</c>, <c>company</c>).</summary>
    public string? LinkEntityType { get; private set; }
    public int Position { get; private set; }

    /// <summary>The property name in the record's JSON column: never changes, whatever the key becomes.</summary>
    public string StorageKey => "f" + Id.ToString("N");

    public bool Indexed => Sortable || Unique;

    public static CustomField Create(Guid workspaceId, string entityType, CustomFieldType type, int position)
    {
        var field = new CustomField(workspaceId) { EntityType = entityType, Type = type, Position = position };
        return field;
    }

    public void Change(CustomFieldSpec spec, CustomFieldType type, string? storedDefault)
    {
        Key = spec.Key!.Trim();
        Type = type;
        Label = spec.Label!.Trim();
        LabelZh = string.IsNullOrWhiteSpace(spec.LabelZh) ? null : spec.LabelZh.Trim();
        Description = string.IsNullOrWhiteSpace(spec.Description) ? null : spec.Description.Trim();
        Options = [.. (spec.Options ?? []).Select(o => o with { Key = o.Key.Trim(), Label = o.Label.Trim(), LabelZh = string.IsNullOrWhiteSpace(o.LabelZh) ? null : o.LabelZh.Trim() })];
        Required = spec.Required ?? false;
        Unique = spec.Unique ?? false;
        Sortable = (spec.Sortable ?? false) && CustomFieldKinds.CanSort(type);
        DefaultValue = storedDefault;
        Currency = type == CustomFieldType.Currency ? spec.Currency?.Trim().ToUpperInvariant() : null;
        LinkEntityType = type == CustomFieldType.Link ? spec.LinkEntityType?.Trim() : null;
        Position = spec.Position ?? Position;
    }

    /// <summary>The label in the user's language: Chinese when asked for and given, English otherwise.</summary>
    public string LabelFor(bool chinese) => chinese && LabelZh is { Length: > 0 } zh ? zh : Label;

    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]{0,39}$")]
    private static partial Regex KeyPattern();
}

/// <summary>What a create or update says about a field (PATCH merges into the current spec).</summary>
public sealed record CustomFieldSpec(
    string? EntityType = null, string? Key = null, CustomFieldType? Type = null, string? Label = null, string? LabelZh = null,
    string? Description = null, IReadOnlyList<CustomFieldOption>? Options = null, bool? Required = null, bool? Unique = null,
    bool? Sortable = null, JsonElement? DefaultValue = null, string? Currency = null, string? LinkEntityType = null, int? Position = null);

public sealed record CustomFieldDto(
    Guid Id, string EntityType, string Key, CustomFieldType Type, string Label, string? LabelZh, string? Description,
    IReadOnlyList<CustomFieldOption> Options, bool Required, bool Unique, bool Sortable, JsonElement? DefaultValue,
    string? Currency, string? LinkEntityType, int Position, int Version)
{
    public static CustomFieldDto From(CustomField f) => new(
        f.Id, f.EntityType, f.Key, f.Type, f.Label, f.LabelZh, f.Description, f.Options, f.Required, f.Unique, f.Sortable,
        f.DefaultValue is null ? null : JsonDocument.Parse(f.DefaultValue).RootElement.Clone(), f.Currency, f.LinkEntityType, f.Position, f.Version);

    public CustomFieldSpec ToSpec() => new(EntityType, Key, Type, Label, LabelZh, Description, Options, Required, Unique, Sortable,
        DefaultValue, Currency, LinkEntityType, Position);
}

internal sealed class CustomFieldConfiguration : IEntityTypeConfiguration<CustomField>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<CustomField> b)
    {
        b.ToTable("kernel_custom_fields");
        b.HasKey(f => new { f.WorkspaceId, f.Id });
        b.Property(f => f.EntityType).HasMaxLength(40);
        b.Property(f => f.Key).HasMaxLength(CustomField.KeyMaxLength);
        b.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Label).HasMaxLength(CustomField.LabelMaxLength);
        b.Property(f => f.LabelZh).HasMaxLength(CustomField.LabelMaxLength);
        b.Property(f => f.Description).HasMaxLength(CustomField.DescriptionMaxLength);
        b.Property(f => f.Options).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<CustomFieldOption>>(v, Json) ?? new List<CustomFieldOption>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<CustomFieldOption>>(
                (a, c) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(c, Json),
                v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                v => v.ToList()));
        b.Property(f => f.Currency).HasMaxLength(3);
        b.Property(f => f.LinkEntityType).HasMaxLength(40);
        b.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        // Unique even in the trash: a deleted field can be restored without meeting another of the same key.
        b.HasIndex(f => new { f.WorkspaceId, f.EntityType, f.Key }).IsUnique();
    }
}
