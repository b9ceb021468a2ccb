using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Invitations;

/// <summary>
/// Invites an email address with roles (admins only). The answer carries the single-use link, so an
/// admin can pass it on when no mail server is configured; when one is, the link is also emailed.
/// Links use <c>Rapport:PublicBaseUrl</c>, never the request's Host header.
/// </summary>
public static class InviteMember
{
    public sealed record Request(string Email, IReadOnlyList<Guid>? RoleIds = null);

    public sealed record InvitationDto(Guid Id, string Email, IReadOnlyList<Guid> RoleIds, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, string? Link)
    {
        public static InvitationDto From(Invitation i, string? link) => new(i.Id, i.Email, i.RoleIds, i.ExpiresAt, i.AcceptedAt, link);
    }

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Email).NotEmpty().EmailAddress().MaximumLength(User.EmailMaxLength);
    }

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, IConfiguration configuration, IMailSender mail, TimeProvider clock)
    {
        public async Task<Outcome<InvitationDto>> HandleAsync(Request request, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<InvitationDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<InvitationDto>.Invalid(invalid);
            }

            var roleIds = (request.RoleIds ?? []).Distinct().ToList();
            if (await db.Set<Role>().CountAsync(r => roleIds.Contains(r.Id), ct) != roleIds.Count)
            {
                return Outcome<InvitationDto>.Invalid("roleIds", "Every role must be one of this workspace's roles.");
            }

            var normalized = User.Normalize(request.Email);
            if (await db.Memberships.Join(db.Set<User>(), m => m.UserId, u => u.Id, (_, u) => u.NormalizedEmail).AnyAsync(e => e == normalized, ct))
            {
                return Outcome<InvitationDto>.Invalid("email", "This person is already a member of the workspace.");
            }

            var (invitation, token) = Invitation.Create(currentUser.WorkspaceId!.Value, request.Email, roleIds, currentUser.UserId!.Value, clock.GetUtcNow());
            db.Add(invitation);
            var link = LinkFor(configuration, token);
            await InvitationMail.SendAsync(db, mail, invitation, link, ct); // queued in the same transaction as the invitation
            await db.SaveChangesAsync(ct);
            return Outcome<InvitationDto>.Ok(InvitationDto.From(invitation, link));
        }
    }

    public static string LinkFor(IConfiguration configuration, string token) => PublicLinks.To(configuration, $"/account/invite?token={token}");

    public static void Map(RouteGroupBuilder invitations) =>
        invitations.MapPost("/", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("invitation", i => TypedResults.Created($"/api/v1/invitations/{i.Id}", i)))
            .WithName("InviteMember")
            .WithSummary("Invite someone to the workspace (admins only)")
            .WithDescription("Returns the single-use invitation link (valid 7 days), built on Rapport:PublicBaseUrl; when a mail server is configured, the link is also emailed in the workspace's first language.")
            .Produces<InvitationDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
