using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.WorkspaceSettings;

public sealed record WorkspaceDto(
    Guid Id, string Name, string TimeZone, int FiscalYearStartMonth, string BaseCurrency, string DefaultCountry,
    IReadOnlyList<string> Languages, int Version, bool RequireTwoFactor, string? Address = null, string? LogoContentType = null)
{
    public static WorkspaceDto From(Workspace w) =>
        new(w.Id, w.Name, w.TimeZone, w.FiscalYearStartMonth, w.BaseCurrency, w.DefaultCountry, w.Languages, w.Version, w.RequireTwoFactor, w.Address, w.LogoContentType);
}

/// <summary>
/// The current workspace's settings: name, time zone, fiscal year start, base currency, default country, languages, two-factor requirement,
/// the address printed on quotes and the logo's type (the image itself: GET /workspace/logo).
/// </summary>
public static class GetWorkspaceSettings
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser)
    {
        public async Task<WorkspaceDto?> HandleAsync(CancellationToken ct) =>
            await db.Workspaces.AsNoTracking().Where(w => w.Id == currentUser.WorkspaceId).Select(w => WorkspaceDto.From(w)).SingleOrDefaultAsync(ct);
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/workspace", async Task<IResult> (Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(ct) is not { } workspace)
                {
                    return Problems.NotFoundProblem("workspace");
                }

                ETags.Set(response, workspace.Version);
                return TypedResults.Ok(workspace);
            })
            .WithName("GetWorkspaceSettings")
            .WithSummary("The current workspace's settings")
            .Produces<WorkspaceDto>();
}
