using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Contracts;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// An administrator takes a conversion back, in one transaction: what it created (contact, company, deal) goes to the trash,
/// what it linked stays as it is, and the lead gets back the status it had.
/// </summary>
public static class UndoLeadConversion
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, ICustomerConversion customers)
    {
        public async Task<Outcome<LeadDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            var (lead, refusal) = await LeadRules.LoadForAsync(db, access, id, AccessAction.Read, false, ct);
            if (lead is null)
            {
                return refusal!;
            }

            if (!await access.IsAdministratorAsync(ct))
            {
                return Outcome<LeadDto>.Forbidden("Only an administrator may undo a conversion.");
            }

            if (ifMatch.Version is { } expected && expected != lead.Version)
            {
                return Outcome<LeadDto>.Stale();
            }

            if (!lead.IsConverted)
            {
                return Outcome<LeadDto>.Conflict("The lead is not converted.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            if (lead.DealCreated && await db.Set<Deal>().SingleOrDefaultAsync(d => d.Id == lead.ConvertedDealId, ct) is { } deal)
            {
                deal.MoveToTrash(now, currentUser.UserId);
            }

            await customers.RemoveCreatedAsync(lead.ContactCreated ? lead.ConvertedContactId : null, lead.CompanyCreated ? lead.ConvertedCompanyId : null, ct);
            lead.UndoConversion();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<LeadDto>.Stale();
            }

            await transaction.CommitAsync(ct);
            return Outcome<LeadDto>.Ok(LeadDto.From(lead, (await LeadScorer.LoadAsync(db, now, ct)).Score(lead), await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapPost("/{id:guid}/convert/undo", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("lead", l =>
                {
                    ETags.Set(http.Response, l.Version);
                    return TypedResults.Ok(l);
                }))
            .WithName("UndoLeadConversion")
            .WithSummary("Undo a lead's conversion (administrators)")
            .WithDescription("Moves the contact, company and deal the conversion created to the trash (linked ones stay), clears the links and puts back the " +
                             "lead's earlier status. 409 when the lead is not converted. If-Match optional.")
            .Produces<LeadDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
