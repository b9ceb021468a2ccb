using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Me;

/// <summary>Changes the current user's display name or UI language (the language switch persists here).</summary>
public static class UpdateMe
{
    public sealed record Request(string? DisplayName = null, string? Language = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.DisplayName).NotEmpty().MaximumLength(User.DisplayNameMaxLength).When(r => r.DisplayName is not null);
            RuleFor(r => r.Language).Must(l => Workspace.SupportedLanguages.Contains(l!)).When(r => r.Language is not null)
                .WithMessage($"Language must be one of: {string.Join(", ", Workspace.SupportedLanguages)}.");
        }
    }

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, GetMe.Handler me)
    {
        public async Task<Outcome<GetMe.Response>> HandleAsync(Request request, CancellationToken ct)
        {
            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<GetMe.Response>.Invalid(invalid);
            }

            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == currentUser.UserId, ct);
            if (user is null)
            {
                return Outcome<GetMe.Response>.NotFound();
            }

            if (request.DisplayName is not null)
            {
                user.Rename(request.DisplayName);
            }

            if (request.Language is not null)
            {
                user.ChangeLanguage(request.Language);
            }

            await db.SaveChangesAsync(ct);
            return Outcome<GetMe.Response>.Ok((await me.HandleAsync(ct))!);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPatch("/me", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", TypedResults.Ok))
            .WithName("UpdateMe")
            .WithSummary("Change the current user's display name or language")
            .Produces<GetMe.Response>()
            .ProducesValidationProblem();
}
