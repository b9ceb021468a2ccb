using FluentValidation;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Roles;

public sealed record RoleDto(
    Guid Id, string Name, string? BuiltIn, bool IsAdministrator,
    IReadOnlyDictionary<string, Dictionary<AccessAction, AccessLevel>> Permissions, int Version)
{
    public static RoleDto From(Role r) => new(r.Id, r.Name, r.BuiltIn, r.IsAdministrator, r.Permissions, r.Version);
}

/// <summary>The writable fields of a role: what POST creates and PATCH replaces.</summary>
public sealed record RoleFields(string Name, bool IsAdministrator = false, Dictionary<string, Dictionary<AccessAction, AccessLevel>>? Permissions = null);

public sealed class RoleFieldsValidator : AbstractValidator<RoleFields>
{
    public RoleFieldsValidator(AccessCatalog catalog)
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Role.NameMaxLength);
        RuleFor(r => r.Permissions).Must(p => p is null || p.Keys.All(catalog.IsKnown))
            .WithMessage($"Permissions may only name these entity types: {string.Join(", ", catalog.Entities.Select(e => e.Name))}.");
        RuleFor(r => r.Permissions).Must(p => p is null || p.Values.All(a => a.Keys.All(Enum.IsDefined) && a.Values.All(Enum.IsDefined)))
            .WithMessage("Actions are create, read, update, delete, export, import, massUpdate, assign; levels are none, own, team, all.");
    }
}
