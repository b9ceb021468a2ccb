using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Invitations;

/// <summary>
/// Accepts an invitation: creates the person's sign-in (or, for an email that already has one,
/// checks its password) and their membership with the invited roles. The link works once.
/// </summary>
public static class AcceptInvitation
{
    /// <param name="Otp">For an existing account with two-factor sign-in: a current code or a recovery code.</param>
    public sealed record Request(string Token, string Password, string? DisplayName = null, string? Otp = null);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, Guid UserId, Guid WorkspaceId);

    public sealed class Handler(RapportDbContext db, CurrentUser currentUser, Passwords passwords, TwoFactor.TwoFactorCodes twoFactor, TimeProvider clock)
    {
        public async Task<Outcome<(User User, Response Response)>> HandleAsync(Request request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var hash = AccessToken.Hash(request.Token ?? "");
            var invitation = await db.Set<Invitation>().IgnoreQueryFilters().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
            if (invitation is null || !invitation.IsOpenAt(now))
            {
                return Outcome<(User, Response)>.Invalid("token", "This invitation link is not valid any more. Ask an administrator for a new one.");
            }

            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == invitation.NormalizedEmail, ct);
            if (user is null)
            {
                var errors = new Dictionary<string, string[]>();
                if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > User.DisplayNameMaxLength)
                {
                    errors["displayName"] = [$"Enter your name (at most {User.DisplayNameMaxLength} characters)."];
                }

                if (PasswordPolicy.Problem(request.Password, invitation.Email) is { } problem)
                {
                    errors["password"] = [problem];
                }

                if (errors.Count > 0)
                {
                    return Outcome<(User, Response)>.Invalid(errors);
                }

                var language = (await db.Workspaces.SingleAsync(w => w.Id == invitation.WorkspaceId, ct)).Languages.FirstOrDefault() ?? "en";
                user = User.Create(invitation.Email, request.DisplayName!, language, now);
                user.SetPasswordHash(passwords.Hash(user, request.Password));
                db.Add(user);
            }
            else if (!passwords.Verify(user, request.Password ?? ""))
            {
                return Outcome<(User, Response)>.Invalid("password", "This email already has a Rapport account: enter its password to join.");
            }
            else if (user.HasTwoFactor && !twoFactor.TryUse(user, request.Otp))
            {
                // Joining issues a sign-in, so an account with two-factor sign-in needs its second factor here too.
                return Outcome<(User, Response)>.Invalid("otp", "This account uses two-factor sign-in: enter the code from your authenticator app.");
            }

            currentUser.Use(Principals.For(user, invitation.WorkspaceId, "invitation"));
            if (await db.Memberships.AnyAsync(m => m.UserId == user.Id, ct))
            {
                return Outcome<(User, Response)>.Conflict("You are already a member of this workspace. Sign in instead.");
            }

            var roles = await db.Set<Role>().Where(r => invitation.RoleIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct);
            db.Memberships.Add(Membership.Create(invitation.WorkspaceId, user.Id, now));
            db.AddRange(roles.Select(r => new MembershipRole(invitation.WorkspaceId, user.Id, r)));
            invitation.Accept(user.Id, now);
            var (token, plain) = AccessToken.Issue(user.Id, invitation.WorkspaceId, now);
            db.Add(token);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<(User, Response)>.Conflict("This invitation was just used. Sign in instead.");
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<(User, Response)>.Conflict("This invitation was just used. Sign in instead.");
            }

            return Outcome<(User, Response)>.Ok((user, new Response(plain, token.ExpiresAt, user.Id, invitation.WorkspaceId)));
        }
    }

    public static void Map(IEndpointRouteBuilder auth) =>
        auth.MapPost("/auth/invitations/accept", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("invitation", r => TypedResults.Ok(r.Response)))
            .AllowAnonymous()
            .WithName("AcceptInvitation")
            .WithSummary("Accept an invitation and get an API token")
            .WithDescription("For an email without a Rapport account, displayName and a new password create one; otherwise the account's password is required.")
            .Produces<Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
}
