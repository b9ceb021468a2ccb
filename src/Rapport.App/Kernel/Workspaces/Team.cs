using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Workspaces;

/// <summary>A group of members. Records may belong to a team; the access level "team" reaches them.</summary>
[EntityName("team")]
public sealed class Team : WorkspaceEntity, IWorkspaceConfiguration
{
    public const int NameMaxLength = 100;

    private Team() { }

    private Team(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    public int Version { get; private set; } = 1;
    public List<TeamMember> Members { get; private set; } = [];

    public static Team Create(Guid workspaceId, string name) => new(workspaceId) { Name = name.Trim() };

    public void Rename(string name) => Name = name.Trim();

    /// <summary>Replaces the members with <paramref name="userIds"/>.</summary>
    public void SetMembers(IEnumerable<Guid> userIds)
    {
        var wanted = userIds.ToHashSet();
        Members.RemoveAll(m => !wanted.Contains(m.UserId));
        foreach (var id in wanted.Where(id => Members.All(m => m.UserId != id)))
        {
            Members.Add(new TeamMember(WorkspaceId, Id, id));
        }
    }
}

[EntityName("team-member")]
public sealed class TeamMember : IWorkspaceOwned, IWorkspaceConfiguration
{
    private TeamMember() { }

    internal TeamMember(Guid workspaceId, Guid teamId, Guid userId)
    {
        WorkspaceId = workspaceId;
        TeamId = teamId;
        UserId = userId;
    }

    public Guid WorkspaceId { get; private set; }
    public Guid TeamId { get; private init; }
    public Guid UserId { get; private init; }
}
