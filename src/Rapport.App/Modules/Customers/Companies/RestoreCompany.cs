using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Brings a company back from the trash; refused when another company took its domain meanwhile.</summary>
public static class RestoreCompany
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<CompanyDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            var (company, refusal) = await CompanyAccess.LoadForAsync(db, access, id, AccessAction.Delete, true, ct);
            if (company is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != company.Version)
            {
                return Outcome<CompanyDto>.Stale();
            }

            if (company.Domain is { } domain && await db.Set<Company>().AnyAsync(c => c.Domain == domain, ct))
            {
                return Outcome<CompanyDto>.Conflict($"Another company now has the domain {domain}. Change that company's domain first.");
            }

            company.Restore();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<CompanyDto>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<CompanyDto>.Conflict($"Another company now has the domain {company.Domain}.");
            }

            return Outcome<CompanyDto>.Ok(CompanyFieldSecurity.Mask(CompanyDto.From(company, await CustomFieldSet.LoadAsync(db, Company.TypeName, ct)), await access.FieldsAsync(Company.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct);
                var policy = await access.FieldsAsync(Company.TypeName, ct);
                return outcome.ToHttp("company in the trash", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return FieldMask.Json(http, c, policy);
                });
            })
            .WithName("RestoreCompany")
            .WithSummary("Restore a company from the trash")
            .Produces<CompanyDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
