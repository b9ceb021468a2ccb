using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

public static class GetCompany
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<CompanyDto?> HandleAsync(Guid id, CancellationToken ct)
        {
            var visible = await access.ScopeAsync(db.Set<Company>().AsNoTracking(), Company.TypeName, AccessAction.Read, ct);
            var company = await visible.SingleOrDefaultAsync(c => c.Id == id, ct);
            return company is null ? null
                : CompanyFieldSecurity.Mask(CompanyDto.From(company, await CustomFieldSet.LoadAsync(db, Company.TypeName, ct)), await access.FieldsAsync(Company.TypeName, ct));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, IAccessControl access, RapportDbContext db, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } company)
                {
                    return await Tombstones.MergedIntoAsync<Company>(db, access, Company.TypeName, id, ct) is { } survivor
                        ? Problems.MergedProblem("company", survivor, $"/api/v1/companies/{survivor}")
                        : Problems.NotFoundProblem("company");
                }

                ETags.Set(http.Response, company.Version);
                return FieldMask.Json(http, company, await access.FieldsAsync(Company.TypeName, ct));
            })
            .WithName("GetCompany")
            .WithSummary("Read a company")
            .Produces<CompanyDto>()
            .WithDescription("A merged id answers 404 of type https://rapport.dev/problems/merged, with mergedIntoId and location naming the survivor.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
