using System.Text.Json;
using FluentValidation;
using Rapport.Kernel.Api;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>The writable fields of a saved view: the create body, and what a PATCH replaces field by field.</summary>
/// <param name="Filter">A filter tree of the kernel filter language (an object), or null.</param>
/// <param name="FilterVersion">The filter language version the filter is written in; only 1 exists.</param>
/// <param name="Columns">Column keys in display order; empty or null means the default columns.</param>
/// <param name="GroupBy">The single-select field a kanban groups by; required for <c>kanban</c>.</param>
public sealed record ViewFields(
    string Entity, string Name, bool Shared = false, JsonElement? Filter = null, int? FilterVersion = null, string? Sort = null,
    IReadOnlyList<string>? Columns = null, ViewLayout Layout = ViewLayout.Table, string? GroupBy = null);

public sealed record SavedViewDto(
    Guid Id, string Entity, string Name, bool Shared, Guid OwnerId, JsonElement? Filter, int FilterVersion, string? Sort,
    IReadOnlyList<string> Columns, ViewLayout Layout, string? GroupBy, bool CanEdit, int Version)
{
    public static SavedViewDto From(SavedView v, bool canEdit) => new(
        v.Id, v.EntityType, v.Name, v.Shared, v.OwnerId, v.Filter is { } f ? JsonDocument.Parse(f).RootElement.Clone() : null, v.FilterVersion,
        v.Sort, v.Columns, v.Layout, v.GroupBy, canEdit, v.Version);

    public ViewFields Fields => new(Entity, Name, Shared, Filter, FilterVersion, Sort, Columns, Layout, GroupBy);
}

/// <summary>The rights "views.share" stands for: making or changing views the whole workspace sees.</summary>
public static class SavedViewRights
{
    public const string Share = "views.share";

    /// <summary>A private view is its owner's to change; a shared one needs the share capability (whoever made it).</summary>
    public static async Task<bool> MayEditAsync(SavedView view, IAccessControl access, ICurrentUser user, CancellationToken ct) =>
        view.Shared ? await access.HasCapabilityAsync(Share, ct) : view.OwnerId == user.UserId;
}

/// <summary>What every saved-view write checks: the caller may read the entity, may share, and the view compiles against the entity's fields.</summary>
internal static class SavedViewRules
{
    private sealed class Validator : AbstractValidator<ViewFields>
    {
        public Validator()
        {
            RuleFor(v => v.Name).NotEmpty().WithMessage("Give the view a name.").MaximumLength(SavedView.NameMaxLength);
            RuleFor(v => v.FilterVersion).Must(v => v is null or SavedView.CurrentFilterVersion)
                .WithMessage($"The filter language has version {SavedView.CurrentFilterVersion} only.");
            RuleFor(v => v.Sort).MaximumLength(SavedView.SortMaxLength);
            RuleFor(v => v.Columns).Must(c => c is null || c.Count <= SavedView.MaxColumns).WithMessage($"At most {SavedView.MaxColumns} columns.")
                .Must(c => c is null || c.Distinct(StringComparer.Ordinal).Count() == c.Count).WithMessage("A column appears twice.");
            RuleFor(v => v.Filter).Must(f => f is null || f.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
                .WithMessage("The filter must be a filter tree (a JSON object) or null.")
                .Must(f => f is null || f.Value.GetRawText().Length <= SavedView.FilterMaxLength)
                .WithMessage($"The filter may be at most {SavedView.FilterMaxLength} characters of JSON.");
        }
    }

    /// <summary>The refusal for a caller who may not write this view, or null: reading the entity is needed, and sharing needs the capability.</summary>
    public static async Task<Outcome<SavedViewDto>?> RefuseAsync(IAccessControl access, string entity, bool shared, CancellationToken ct)
    {
        if (await access.LevelAsync(entity, AccessAction.Read, ct) == AccessLevel.None)
        {
            return Outcome<SavedViewDto>.Forbidden($"Your roles do not allow you to read {entity} records, so you cannot keep views of them.");
        }

        return shared && !await access.HasCapabilityAsync(SavedViewRights.Share, ct)
            ? Outcome<SavedViewDto>.Forbidden($"Sharing views with the whole workspace needs the \"{SavedViewRights.Share}\" capability of a role.")
            : null;
    }

    /// <summary>Field errors of a view against its entity's schema: the filter and sort compile, the columns and kanban field exist.</summary>
    public static Dictionary<string, string[]> Check(ViewFields fields, ViewSchema schema, FieldPolicy policy, DateTimeOffset now)
    {
        var errors = new Validator().Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count > 0)
        {
            return errors;
        }

        var filter = fields.Filter is { ValueKind: JsonValueKind.Object } f ? f.GetRawText() : null;
        try
        {
            schema.Check(filter, null, policy, now);
        }
        catch (FilterException e)
        {
            errors["filter"] = [e.Message];
        }

        try
        {
            schema.Check(null, string.IsNullOrWhiteSpace(fields.Sort) ? null : fields.Sort, policy, now);
        }
        catch (FilterException e)
        {
            errors["sort"] = [e.Message];
        }

        var known = schema.Columns.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if ((fields.Columns ?? []).FirstOrDefault(c => !known.Contains(c)) is { } unknown)
        {
            errors["columns"] = [$"Unknown column \"{(unknown.Length > 40 ? unknown[..40] : unknown)}\". Columns: {string.Join(", ", known)}."];
        }

        var groupable = schema.GroupFields.Select(g => g.Field).ToList();
        if (fields.GroupBy is { Length: > 0 } group ? !groupable.Contains(group.Trim()) : fields.Layout == ViewLayout.Kanban)
        {
            errors["groupBy"] = [groupable.Count == 0
                ? "This list has no single-select field to group a kanban by."
                : $"A kanban groups by one of: {string.Join(", ", groupable)}."];
        }

        return errors;
    }
}
