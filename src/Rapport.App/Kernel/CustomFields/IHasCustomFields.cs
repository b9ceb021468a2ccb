namespace Rapport.Kernel.CustomFields;

/// <summary>
/// A record with custom fields: their values as one JSON object (key → stored value) in the
/// <c>custom_fields</c> column (<c>jsonb</c> on PostgreSQL). Changed only through <see cref="SetCustomFields"/>,
/// with values checked by <see cref="CustomFieldSet"/>.
/// </summary>
public interface IHasCustomFields
{
    string CustomFields { get; }

    void SetCustomFields(string json);
}
