using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.PasswordReset;

/// <summary>
/// Sets a new password with a reset link's token (once, within the hour) and ends the person's other
/// sessions: every session token is revoked and the security stamp changes, so cookies stop working.
/// API keys stay: they are credentials of their own, revoked one by one.
/// </summary>
public static class ResetPassword
{
    public sealed record Request(string Token, string Password);

    public const string InvalidLink = "This link is not valid any more: it was used, it expired, or it was never issued. Ask for a new one.";

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Token).NotEmpty();
            // The sign-up policy.
            RuleFor(r => r.Password).NotEmpty().MinimumLength(User.PasswordMinLength).MaximumLength(User.PasswordMaxLength);
        }
    }

    public sealed class Handler(RapportDbContext db, Passwords passwords, TimeProvider clock)
    {
        /// <summary>Returns the id of the person whose password changed.</summary>
        public async Task<Outcome<Guid>> HandleAsync(Request request, CancellationToken ct)
        {
            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<Guid>.Invalid(invalid);
            }

            var now = clock.GetUtcNow();
            var hash = AccessToken.Hash(request.Token);
            var reset = await db.Set<PasswordResetToken>().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
            if (reset is null || !reset.IsUsableAt(now))
            {
                return Outcome<Guid>.Invalid("token", InvalidLink);
            }

            var user = await db.Set<User>().SingleAsync(u => u.Id == reset.UserId, ct);
            user.SetPasswordHash(passwords.Hash(user, request.Password));
            user.RotateSecurityStamp();
            user.SignInSucceeded(); // a reset also lifts a lockout
            foreach (var open in await db.Set<PasswordResetToken>().Where(t => t.UserId == user.Id && t.UsedAt == null).ToListAsync(ct))
            {
                open.Use(now);
            }

            foreach (var session in await db.Set<AccessToken>().Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(ct))
            {
                session.Revoke(now);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The same link (or another change to this person) won a race: the link counts as used.
                return Outcome<Guid>.Invalid("token", InvalidLink);
            }

            return Outcome<Guid>.Ok(user.Id);
        }
    }

    public static void Map(IEndpointRouteBuilder auth) =>
        auth.MapPost("/auth/password-reset/confirm", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", _ => TypedResults.NoContent()))
            .AllowAnonymous()
            .WithName("ResetPassword")
            .WithSummary("Set a new password with a reset link's token")
            .WithDescription("The token works once, within an hour. The person's session tokens are revoked and their browser sessions end; API keys stay.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem();
}
