using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.ApiKeys;

/// <summary>
/// Creates an API key for the signed-in user. Keys are made in a signed-in session, never with
/// another key (a read key cannot mint a write key); an admin-scoped key needs an administrator.
/// </summary>
public static class CreateApiKey
{
    public sealed record Request(string Name, ApiKeyScope Scope = ApiKeyScope.Read, DateTimeOffset? ExpiresAt = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(DateTimeOffset now)
        {
            RuleFor(r => r.Name).NotEmpty().MaximumLength(ApiKey.NameMaxLength);
            RuleFor(r => r.Scope).IsInEnum();
            RuleFor(r => r.ExpiresAt).GreaterThan(now).When(r => r.ExpiresAt is not null).WithMessage("Expiry must be in the future.");
        }
    }

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<ApiKeyDto>> HandleAsync(Request request, CancellationToken ct)
        {
            if (currentUser.ApiKeyScope is not null)
            {
                return Outcome<ApiKeyDto>.Forbidden("API keys are created while signed in, not with another API key.");
            }

            var now = clock.GetUtcNow();
            if (new Validator(now).Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<ApiKeyDto>.Invalid(invalid);
            }

            if (request.Scope == ApiKeyScope.Admin && !await access.IsAdministratorAsync(ct))
            {
                return Outcome<ApiKeyDto>.Forbidden("Only administrators may create keys with the admin scope.");
            }

            var (key, plain) = ApiKey.Create(currentUser.WorkspaceId!.Value, currentUser.UserId!.Value, request.Name, request.Scope, request.ExpiresAt, now);
            db.Add(key);
            await db.SaveChangesAsync(ct);
            return Outcome<ApiKeyDto>.Ok(ApiKeyDto.From(key, plain));
        }
    }

    public static void Map(RouteGroupBuilder keys) =>
        keys.MapPost("/", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("API key", k => TypedResults.Created($"/api/v1/api-keys/{k.Id}", k)))
            .WithName("CreateApiKey")
            .WithSummary("Create an API key for yourself (the key is shown once)")
            .WithDescription("scope: read (GET only), write (read and change records), admin (also administration; administrators only).")
            .Produces<ApiKeyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
