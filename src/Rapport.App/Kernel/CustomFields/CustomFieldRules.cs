using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.CustomFields;

/// <summary>What a custom field definition must satisfy, on create and on every change.</summary>
internal static partial class CustomFieldRules
{
    public static readonly CustomFieldType[] UniqueTypes =
    [
        CustomFieldType.Text, CustomFieldType.Number, CustomFieldType.Currency, CustomFieldType.Percent, CustomFieldType.Date,
        CustomFieldType.DateTime, CustomFieldType.Url, CustomFieldType.Email, CustomFieldType.Phone,
    ];

    public static bool HasOptions(CustomFieldType type) => type is CustomFieldType.SingleSelect or CustomFieldType.MultiSelect;

    /// <summary>Entity types that can carry custom fields: audited records with a custom-field column.</summary>
    public static IReadOnlyList<string> EntityTypes(RapportDbContext db) =>
        [.. db.Model.GetEntityTypes().Select(t => t.ClrType)
            .Where(t => typeof(IHasCustomFields).IsAssignableFrom(t))
            .Select(RapportDbContext.EntityName).Order()];

    public static async Task<(string? StoredDefault, Dictionary<string, string[]> Errors)> CheckAsync(
        RapportDbContext db, CustomFieldSpec spec, CustomField? existing, Guid workspaceId, CancellationToken ct)
    {
        var errors = new Validator(EntityTypes(db)).Validate(spec).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (existing is not null && (existing.Key != spec.Key || existing.EntityType != spec.EntityType))
        {
            errors[existing.Key != spec.Key ? "key" : "entityType"] =
                ["The key and entity type of a field cannot change (records and integrations use them); change the label instead."];
            return (null, errors);
        }

        if (existing is null)
        {
            if (await db.Set<CustomField>().AnyAsync(f => f.EntityType == spec.EntityType && f.Key == spec.Key, ct))
            {
                errors["key"] = [$"Another {spec.EntityType} field already has the key \"{spec.Key}\"."];
            }
            else if (await db.Set<CustomField>().CountAsync(f => f.EntityType == spec.EntityType, ct) >= CustomField.MaxFieldsPerEntity)
            {
                errors["key"] = [$"A {spec.EntityType} may have at most {CustomField.MaxFieldsPerEntity} custom fields."];
            }
        }

        string? storedDefault = null;
        if (spec.DefaultValue is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value)
        {
            var probe = Probe(spec, workspaceId);
            var country = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
            var (stored, error) = CustomFieldKinds.Normalize(probe, value, country);
            if (error is not null)
            {
                errors["defaultValue"] = [$"The default value {error}"];
            }

            storedDefault = stored?.ToJsonString();
        }

        return (storedDefault, errors);
    }

    /// <summary>A definition an administrator changes or deletes, at the version they read; otherwise the refusal to answer with.</summary>
    public static async Task<(CustomField? Field, Api.Outcome<CustomFieldDto>? Refusal)> LoadForChangeAsync(
        RapportDbContext db, Security.IAccessControl access, Guid id, Api.IfMatch ifMatch, CancellationToken ct)
    {
        if (!await access.IsAdministratorAsync(ct))
        {
            return (null, Api.Outcome<CustomFieldDto>.Forbidden("Only administrators manage custom fields."));
        }

        if (!ifMatch.Present)
        {
            return (null, Api.Outcome<CustomFieldDto>.IfMatchRequired());
        }

        var field = await db.Set<CustomField>().SingleOrDefaultAsync(f => f.Id == id, ct);
        return field is null ? (null, Api.Outcome<CustomFieldDto>.NotFound())
            : ifMatch.Version is { } expected && expected != field.Version ? (null, Api.Outcome<CustomFieldDto>.Stale())
            : (field, null);
    }

    /// <summary>An unsaved field with the spec's type and options, to check values against.</summary>
    public static CustomField Probe(CustomFieldSpec spec, Guid workspaceId)
    {
        var probe = CustomField.Create(workspaceId, spec.EntityType!, spec.Type!.Value, 0);
        probe.Change(spec, spec.Type.Value, null);
        return probe;
    }

    /// <summary>A stored value carried over to another type: numbers and yes/no become text, one option becomes a list and back.</summary>
    public static JsonElement Carry(JsonNode stored, CustomFieldType to)
    {
        var kind = stored.GetValueKind();
        JsonNode carried = (kind, to) switch
        {
            (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False, not (CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent or CustomFieldType.YesNo))
                => JsonValue.Create(stored.ToJsonString()),
            (JsonValueKind.String, CustomFieldType.MultiSelect) => new JsonArray(stored.DeepClone()),
            (JsonValueKind.Array, not CustomFieldType.MultiSelect) when stored.AsArray().Count == 1 => stored.AsArray()[0]!.DeepClone(),
            _ => stored.DeepClone(),
        };
        return JsonSerializer.SerializeToElement(carried);
    }

    private sealed partial class Validator : AbstractValidator<CustomFieldSpec>
    {
        public Validator(IReadOnlyList<string> entityTypes)
        {
            RuleFor(s => s.EntityType).NotEmpty().WithMessage("Entity type is required.")
                .Must(entityTypes.Contains).WithMessage($"Entity type must be one of: {string.Join(", ", entityTypes)}.");
            RuleFor(s => s.Key).NotEmpty().WithMessage("Key is required.")
                .Must(CustomField.IsValidKey).WithMessage("Key must start with a lower-case letter and hold only letters, digits and _ (at most 40), such as contractValue.");
            RuleFor(s => s.Type).NotNull().WithMessage($"Type is required: one of {string.Join(", ", Enum.GetNames<CustomFieldType>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
            RuleFor(s => s.Label).NotEmpty().WithMessage("Label is required.").MaximumLength(CustomField.LabelMaxLength);
            RuleFor(s => s.LabelZh).MaximumLength(CustomField.LabelMaxLength);
            RuleFor(s => s.Description).MaximumLength(CustomField.DescriptionMaxLength);
            RuleFor(s => s.Position).InclusiveBetween(0, 10_000);
            When(s => s.Type is { } t && HasOptions(t), () =>
            {
                RuleFor(s => s.Options).NotEmpty().WithMessage("A select field needs at least one option.")
                    .Must(o => o is null || o.Count <= CustomField.MaxOptions).WithMessage($"At most {CustomField.MaxOptions} options.")
                    .Must(o => o is null || o.Select(x => x.Key?.Trim()).Distinct().Count() == o.Count).WithMessage("Option keys must be different from each other.");
                RuleForEach(s => s.Options).ChildRules(o =>
                {
                    o.RuleFor(x => x.Key).NotEmpty().Must(k => k is not null && OptionKey().IsMatch(k.Trim()))
                        .WithMessage("Option keys hold lower-case letters, digits, _ and - (at most 40), such as gold.");
                    o.RuleFor(x => x.Label).NotEmpty().WithMessage("Every option needs a label.").MaximumLength(CustomField.LabelMaxLength);
                    o.RuleFor(x => x.LabelZh).MaximumLength(CustomField.LabelMaxLength);
                });
            }).Otherwise(() => RuleFor(s => s.Options).Must(o => o is null || o.Count == 0).WithMessage("Only select fields have options."));
            RuleFor(s => s.Unique).Must((s, unique) => unique != true || s.Type is { } t && UniqueTypes.Contains(t))
                .WithMessage("Only text, number, currency, percent, date, date-time, URL, email and phone fields can be unique.");
            RuleFor(s => s.DefaultValue).Must((s, d) => d is null or { ValueKind: JsonValueKind.Null } || s.Unique != true && s.Type != CustomFieldType.Link)
                .WithMessage("Unique and link fields cannot have a default value.");
            When(s => s.Type == CustomFieldType.Currency, () =>
                RuleFor(s => s.Currency).Must(c => Currencies.IsKnown(c?.Trim().ToUpperInvariant())).WithMessage("A currency field needs an ISO 4217 currency, such as CNY or USD."));
            When(s => s.Type == CustomFieldType.Link, () =>
                RuleFor(s => s.LinkEntityType).Must(entityTypes.Contains).WithMessage($"A link field points to one of: {string.Join(", ", entityTypes)}."));
        }

        [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
        private static partial Regex OptionKey();
    }
}
