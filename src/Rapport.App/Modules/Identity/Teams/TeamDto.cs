using FluentValidation;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.Teams;

public sealed record TeamDto(Guid Id, string Name, IReadOnlyList<Guid> MemberIds, int Version)
{
    public static TeamDto From(Team t) => new(t.Id, t.Name, [.. t.Members.Select(m => m.UserId)], t.Version);
}

/// <summary>The writable fields of a team.</summary>
public sealed record TeamFields(string Name, IReadOnlyList<Guid>? MemberIds = null);

public sealed class TeamFieldsValidator : AbstractValidator<TeamFields>
{
    public TeamFieldsValidator() => RuleFor(t => t.Name).NotEmpty().MaximumLength(Team.NameMaxLength);
}
