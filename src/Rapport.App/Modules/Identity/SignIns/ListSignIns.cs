using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.SignIns;

/// <summary>Recent sign-in attempts of the workspace's members (admins only), newest first, with keyset paging by time.</summary>
public static class ListSignIns
{
    public sealed record SignInDto(Guid Id, DateTimeOffset At, string Email, Guid? UserId, string? Ip, string? UserAgent, SignInResult Result, string Channel);

    public sealed record Page(IReadOnlyList<SignInDto> Data, string? NextCursor);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<Page>> HandleAsync(int? limit, string? cursor, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<Page>(access, ct) is { } refused)
            {
                return refused;
            }

            var take = Math.Clamp(limit ?? 50, 1, 200);
            var before = Guid.TryParse(cursor, out var c) ? c : (Guid?)null;
            var members = db.Memberships.Select(m => (Guid?)m.UserId);
            var query = db.Set<SignInAttempt>().AsNoTracking()
                .Where(a => a.WorkspaceId == currentUser.WorkspaceId || members.Contains(a.UserId));
            if (before is { } b)
            {
                query = query.Where(a => a.Id.CompareTo(b) < 0);
            }

            var rows = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
            var next = rows.Count > take ? rows[take - 1].Id.ToString() : null;
            return Outcome<Page>.Ok(new Page([.. rows.Take(take).Select(a => new SignInDto(a.Id, a.At, a.Email, a.UserId, a.Ip, a.UserAgent, a.Result, a.Channel))], next));
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/sign-ins", async (int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(limit, cursor, ct)).ToHttp("sign-in", TypedResults.Ok))
            .WithTags("Members")
            .WithName("ListSignIns")
            .WithSummary("Sign-in attempts of the workspace's members (admins only)")
            .Produces<Page>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
