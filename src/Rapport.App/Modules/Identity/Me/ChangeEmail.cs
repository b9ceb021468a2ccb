using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Me;

/// <summary>
/// Changes the sign-in email. Needs the password again (a stolen session is not enough), refuses an
/// address another account uses, and is not available to API keys.
/// </summary>
public static class ChangeEmail
{
    public sealed record Request(string Email, string Password);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Email).NotEmpty().EmailAddress().MaximumLength(User.EmailMaxLength);
    }

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, Passwords passwords, GetMe.Handler me, TimeProvider clock)
    {
        public async Task<Outcome<GetMe.Response>> HandleAsync(Request request, CancellationToken ct)
        {
            if (currentUser.ApiKeyScope is not null)
            {
                return Outcome<GetMe.Response>.Forbidden("The sign-in email is changed while signed in, not with an API key.");
            }

            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<GetMe.Response>.Invalid(invalid);
            }

            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == currentUser.UserId, ct);
            if (user is null)
            {
                return Outcome<GetMe.Response>.NotFound();
            }

            if (!passwords.Verify(user, request.Password ?? ""))
            {
                user.SignInFailed(clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
                return Outcome<GetMe.Response>.Invalid("password", "The password is wrong.");
            }

            var normalized = User.Normalize(request.Email);
            if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized && u.Id != user.Id, ct))
            {
                return Outcome<GetMe.Response>.Invalid("email", "Another account uses this email.");
            }

            user.ChangeEmail(request.Email);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<GetMe.Response>.Invalid("email", "Another account uses this email.");
            }

            return Outcome<GetMe.Response>.Ok((await me.HandleAsync(ct))!);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/me/email", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", TypedResults.Ok))
            .WithName("ChangeEmail")
            .WithSummary("Change your sign-in email (needs your password)")
            .Produces<GetMe.Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
