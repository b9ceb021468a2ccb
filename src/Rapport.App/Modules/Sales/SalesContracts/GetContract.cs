using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.SalesContracts;

public static class GetContract
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<ContractDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await (await ContractRules.VisibleAsync(db, access, ct)).SingleOrDefaultAsync(c => c.Id == id, ct) is { } contract ? ContractDto.From(contract) : null;
    }

    public static void Map(RouteGroupBuilder contracts) =>
        contracts.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } contract)
                {
                    return Problems.NotFoundProblem("contract");
                }

                ETags.Set(http.Response, contract.Version);
                return TypedResults.Ok(contract);
            })
            .WithName("GetContract")
            .WithSummary("Read a contract")
            .Produces<ContractDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
