using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Moves a company to the trash (restorable for 30 days); needs If-Match.</summary>
public static class DeleteCompany
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<CompanyDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<CompanyDto>.IfMatchRequired();
            }

            var (company, refusal) = await CompanyAccess.LoadForAsync(db, access, id, AccessAction.Delete, false, ct);
            if (company is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != company.Version)
            {
                return Outcome<CompanyDto>.Stale();
            }

            company.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<CompanyDto>.Stale();
            }

            return Outcome<CompanyDto>.Ok(CompanyDto.From(company));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("company", _ => TypedResults.NoContent()))
            .WithName("DeleteCompany")
            .WithSummary("Move a company to the trash")
            .WithDescription("Send the ETag in If-Match. Restore with POST /companies/{id}/restore within 30 days.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
