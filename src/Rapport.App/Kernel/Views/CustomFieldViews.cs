using System.Globalization;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.Views;

/// <summary>
/// A workspace's custom fields in the views of an entity: every one as a column <c>custom.key</c> (hidden
/// until chosen), text-like ones and single selects in the filter builder, single selects as kanban fields.
/// </summary>
public static class CustomFieldViews
{
    public static ViewSchema Schema<T>(
        string entity, FieldCatalog<T> fields, CustomFieldSet custom, string defaultSort,
        IEnumerable<ViewColumn> columns, IEnumerable<ViewGroupField> groupFields, IEnumerable<ViewFilterField> filterFields)
        where T : IHasCustomFields
    {
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        string Label(string label, string? zh) => chinese && zh is { Length: > 0 } ? zh : label;
        List<ViewOption> Options(CustomField f) => [.. f.Options.Select(o => new ViewOption(o.Key, Label(o.Label, o.LabelZh)))];
        var selects = custom.Fields.Where(f => f.Type == CustomFieldType.SingleSelect).ToList();
        return ViewSchema.Create(entity, custom.Extend(fields), defaultSort,
            [.. columns, .. custom.Fields.Select(f => new ViewColumn(CustomFieldSet.Prefix + f.Key, Label(f.Label, f.LabelZh), ShownByDefault: false))],
            [.. groupFields, .. selects.Select(f => new ViewGroupField(CustomFieldSet.Prefix + f.Key, Label(f.Label, f.LabelZh), Options(f)))],
            [.. filterFields, .. custom.Fields.Where(f => CustomFieldKinds.FilterKind(f.Type) == FieldKind.Text)
                .Select(f => new ViewFilterField(CustomFieldSet.Prefix + f.Key, Label(f.Label, f.LabelZh), f.Type == CustomFieldType.SingleSelect ? Options(f) : null))]);
    }
}
