using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.WorkspaceSettings;

/// <summary>Changes workspace settings; absent fields keep their value (an empty address clears it). Needs If-Match.</summary>
public static class UpdateWorkspaceSettings
{
    public sealed record Request(
        string? Name = null, string? TimeZone = null, int? FiscalYearStartMonth = null, string? BaseCurrency = null,
        string? DefaultCountry = null, IReadOnlyList<string>? Languages = null, bool? RequireTwoFactor = null, string? Address = null);

    public sealed class Validator : AbstractValidator<Kernel.Workspaces.WorkspaceSettings>
    {
        public Validator()
        {
            RuleFor(s => s.Name).NotEmpty().MaximumLength(Workspace.NameMaxLength);
            RuleFor(s => s.TimeZone).Must(tz => TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
                .WithMessage("Time zone must be an IANA time zone id, such as Asia/Shanghai or Europe/Berlin.");
            RuleFor(s => s.FiscalYearStartMonth).InclusiveBetween(1, 12);
            RuleFor(s => s.BaseCurrency).Must(c => Currencies.IsKnown(c.ToUpperInvariant())).WithMessage("Base currency must be an ISO 4217 code, such as CNY or USD.");
            RuleFor(s => s.DefaultCountry).Must(c => Countries.IsKnown(c.ToUpperInvariant())).WithMessage("Default country must be an ISO 3166 two-letter code, such as CN or US.");
            RuleFor(s => s.Languages).NotEmpty()
                .Must(l => l.All(Workspace.SupportedLanguages.Contains) && l.Distinct().Count() == l.Count)
                .WithMessage($"Languages must be distinct values of: {string.Join(", ", Workspace.SupportedLanguages)}.");
            RuleFor(s => s.Address).MaximumLength(Workspace.AddressMaxLength);
        }
    }

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<Outcome<WorkspaceDto>> HandleAsync(Request request, IfMatch ifMatch, CancellationToken ct)
        {
            if (await Access.Administrators.RequireAsync<WorkspaceDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (!ifMatch.Present)
            {
                return Outcome<WorkspaceDto>.IfMatchRequired();
            }

            var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Id == currentUser.WorkspaceId, ct);
            if (workspace is null)
            {
                return Outcome<WorkspaceDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != workspace.Version)
            {
                return Outcome<WorkspaceDto>.Stale();
            }

            var current = workspace.Settings;
            var next = new Kernel.Workspaces.WorkspaceSettings(
                request.Name ?? current.Name, request.TimeZone ?? current.TimeZone, request.FiscalYearStartMonth ?? current.FiscalYearStartMonth,
                request.BaseCurrency ?? current.BaseCurrency, request.DefaultCountry ?? current.DefaultCountry, request.Languages ?? current.Languages,
                request.RequireTwoFactor ?? current.RequireTwoFactor, request.Address ?? current.Address);
            if (new Validator().Validate(next) is { IsValid: false } invalid)
            {
                return Outcome<WorkspaceDto>.Invalid(invalid);
            }

            workspace.ChangeSettings(next);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<WorkspaceDto>.Stale();
            }

            return Outcome<WorkspaceDto>.Ok(WorkspaceDto.From(workspace));
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPatch("/workspace", async (Request request, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(request, ETags.ReadIfMatch(http.Request), ct)).ToHttp("workspace", w =>
                {
                    ETags.Set(http.Response, w.Version);
                    return TypedResults.Ok(w);
                }))
            .WithName("UpdateWorkspaceSettings")
            .WithSummary("Change the current workspace's settings")
            .Produces<WorkspaceDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
