using FluentValidation;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Roles;

public sealed record RoleDto(
    Guid Id, string Name, string? BuiltIn, bool IsAdministrator,
    IReadOnlyDictionary<string, Dictionary<AccessAction, AccessLevel>> Permissions,
    IReadOnlyDictionary<string, Dictionary<string, FieldAccess>> Fields, IReadOnlyList<string> Capabilities, int Version)
{
    public static RoleDto From(Role r) => new(r.Id, r.Name, r.BuiltIn, r.IsAdministrator, r.Permissions, r.Fields, r.Capabilities, r.Version);
}

/// <summary>The writable fields of a role: what POST creates and PATCH replaces.</summary>
/// <param name="Fields">entity → field → hidden, readOnly or editable (the default).</param>
/// <param name="Capabilities">Workspace-wide rights, e.g. <c>views.share</c> (sharing saved views with the workspace).</param>
public sealed record RoleFields(
    string Name, bool IsAdministrator = false, Dictionary<string, Dictionary<AccessAction, AccessLevel>>? Permissions = null,
    Dictionary<string, Dictionary<string, FieldAccess>>? Fields = null, IReadOnlyList<string>? Capabilities = null);

public sealed class RoleFieldsValidator : AbstractValidator<RoleFields>
{
    public RoleFieldsValidator(AccessCatalog catalog)
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Role.NameMaxLength);
        RuleFor(r => r.Permissions).Must(p => p is null || p.Keys.All(catalog.IsKnown))
            .WithMessage($"Permissions may only name these entity types: {string.Join(", ", catalog.Entities.Select(e => e.Name))}.");
        RuleFor(r => r.Permissions).Must(p => p is null || p.Values.All(a => a.Keys.All(Enum.IsDefined) && a.Values.All(Enum.IsDefined)))
            .WithMessage("Actions are create, read, update, delete, export, import, massUpdate, assign; levels are none, own, team, all.");
        RuleFor(r => r.Fields).Must(f => f is null || f.All(e => catalog.Find(e.Key) is { } entity && e.Value.Keys.All(k => entity.Fields.Contains(k) || k.StartsWith(Kernel.CustomFields.CustomFieldSet.Prefix, StringComparison.Ordinal) && Kernel.CustomFields.CustomField.IsValidKey(k[Kernel.CustomFields.CustomFieldSet.Prefix.Length..])) && e.Value.Values.All(Enum.IsDefined)))
            .WithMessage("Field rules must name registered entity types and their restrictable fields; access is hidden, readOnly or editable.");
        RuleFor(r => r.Capabilities).Must(c => c is null || c.All(name => catalog.Capabilities.Any(k => k.Name == name)))
            .WithMessage($"Capabilities may only be: {string.Join(", ", catalog.Capabilities.Select(c => c.Name))}.");
    }
}
