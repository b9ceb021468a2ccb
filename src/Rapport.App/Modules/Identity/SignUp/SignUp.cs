using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.SignUp;

/// <summary>
/// Creates a workspace and its first admin. Open for the very first workspace; afterwards only
/// when <c>Rapport:AllowSignup</c> is true.
/// </summary>
public static class SignUp
{
    public sealed record Request(string WorkspaceName, string Email, string Password, string DisplayName, string? Language = null);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, Guid UserId, Guid WorkspaceId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.WorkspaceName).NotEmpty().MaximumLength(Workspace.NameMaxLength);
            RuleFor(r => r.Email).NotEmpty().EmailAddress().MaximumLength(User.EmailMaxLength);
            RuleFor(r => r.Password).Custom((password, context) =>
            {
                if (PasswordPolicy.Problem(password, context.InstanceToValidate.Email) is { } problem)
                {
                    context.AddFailure(problem);
                }
            });
            RuleFor(r => r.DisplayName).NotEmpty().MaximumLength(User.DisplayNameMaxLength);
            RuleFor(r => r.Language).Must(l => l is null || Workspace.SupportedLanguages.Contains(l))
                .WithMessage($"Language must be one of: {string.Join(", ", Workspace.SupportedLanguages)}.");
        }
    }

    public sealed class Handler(
        RapportDbContext db, CurrentUser currentUser, Passwords passwords, AccessCatalog catalog, IConfiguration configuration, TimeProvider clock,
        IEnumerable<IWorkspaceDefaults> defaults)
    {
        public async Task<Outcome<(User User, Response Response)>> HandleAsync(Request request, CancellationToken ct)
        {
            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<(User, Response)>.Invalid(invalid);
            }

            if (!configuration.GetValue<bool>("Rapport:AllowSignup") && await db.Workspaces.AnyAsync(ct))
            {
                return Outcome<(User, Response)>.Conflict("Sign-up is closed on this server. Ask an administrator for an invitation.");
            }

            var normalized = User.Normalize(request.Email);
            if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized, ct))
            {
                return Outcome<(User, Response)>.Invalid("email", "This email already has an account. Sign in instead.");
            }

            var now = clock.GetUtcNow();
            var language = request.Language ?? "en";
            var workspace = Workspace.Create(request.WorkspaceName, now, language);
            var user = User.Create(request.Email, request.DisplayName, language, now);
            user.SetPasswordHash(passwords.Hash(user, request.Password));
            var (token, plain) = AccessToken.Issue(user.Id, workspace.Id, now);
            currentUser.Use(Principals.For(user, workspace.Id, "signup"));

            db.Workspaces.Add(workspace);
            db.Add(user);
            db.Memberships.Add(Membership.Create(workspace.Id, user.Id, now));
            var roles = BuiltInRoles.For(workspace.Id, catalog).ToList();
            db.AddRange(roles);
            db.Add(new MembershipRole(workspace.Id, user.Id, roles.Single(r => r.BuiltIn == BuiltInRoles.Admin).Id));
            db.Add(token);
            foreach (var module in defaults)
            {
                module.AddTo(db, workspace);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<(User, Response)>.Invalid("email", "This email already has an account. Sign in instead.");
            }

            return Outcome<(User, Response)>.Ok((user, new Response(plain, token.ExpiresAt, user.Id, workspace.Id)));
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/signup", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("workspace", r => TypedResults.Created("/api/v1/me", r.Response)))
            .AllowAnonymous()
            .WithName("SignUp")
            .WithSummary("Create a workspace and its first admin")
            .WithDescription("Open for the first workspace on a server; afterwards only when Rapport:AllowSignup is true. Returns an API token.")
            .Produces<Response>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
}
