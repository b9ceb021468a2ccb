using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;

namespace Rapport.Modules.Customers.Companies;

public static class GetCompany
{
    public sealed class Handler(RapportDbContext db)
    {
        public async Task<CompanyDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await db.Set<Company>().AsNoTracking().Where(c => c.Id == id).Select(c => CompanyDto.From(c)).SingleOrDefaultAsync(ct);
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } company)
                {
                    return Problems.NotFoundProblem("company");
                }

                ETags.Set(response, company.Version);
                return TypedResults.Ok(company);
            })
            .WithName("GetCompany")
            .WithSummary("Read a company")
            .Produces<CompanyDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
