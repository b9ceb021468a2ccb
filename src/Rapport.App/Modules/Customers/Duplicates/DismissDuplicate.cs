using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>"Not a duplicate": stores the pair, so the finder stops listing it. Same rights as the finder, on both records.</summary>
public static class DismissDuplicate
{
    public sealed record Request(string Entity, Guid FirstId, Guid SecondId);

    public sealed record DismissalDto(Guid Id, string Entity, Guid FirstId, Guid SecondId, Guid? DismissedBy, DateTimeOffset DismissedAt)
    {
        public static DismissalDto From(DuplicateDismissal d) => new(d.Id, d.EntityType, d.FirstId, d.SecondId, d.DismissedBy, d.DismissedAt);
    }

    /// <param name="Created">False when the pair was dismissed before (the answer is then that dismissal).</param>
    public sealed record Result(DismissalDto Dismissal, bool Created);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock)
    {
        public async Task<Outcome<Result>> HandleAsync(Request request, CancellationToken ct)
        {
            if (await DuplicateFinderAccess.RefuseAsync<Result>(access, request.Entity, ct) is { } refused)
            {
                return refused;
            }

            if (request.FirstId == request.SecondId)
            {
                return Outcome<Result>.Invalid("secondId", "A record cannot be a duplicate of itself.");
            }

            var ids = new[] { request.FirstId, request.SecondId };
            var reachable = request.Entity == Contact.TypeName
                ? await (await DuplicateFinderAccess.MergeableAsync(access, db.Set<Contact>(), Contact.TypeName, ct)).CountAsync(c => ids.Contains(c.Id), ct)
                : await (await DuplicateFinderAccess.MergeableAsync(access, db.Set<Company>(), Company.TypeName, ct)).CountAsync(c => ids.Contains(c.Id), ct);
            if (reachable != 2)
            {
                return Outcome<Result>.NotFound();
            }

            var (first, second) = DuplicateDismissal.Order(request.FirstId, request.SecondId);
            if (await db.Set<DuplicateDismissal>().SingleOrDefaultAsync(d => d.EntityType == request.Entity && d.FirstId == first && d.SecondId == second, ct) is { } existing)
            {
                return Outcome<Result>.Ok(new Result(DismissalDto.From(existing), false));
            }

            var dismissal = DuplicateDismissal.Create(request.Entity, first, second, currentUser.UserId, clock.GetUtcNow());
            db.Add(dismissal);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<Result>.Conflict("Someone dismissed this pair at the same moment.");
            }

            return Outcome<Result>.Ok(new Result(DismissalDto.From(dismissal), true));
        }
    }

    public static void Map(RouteGroupBuilder duplicates) =>
        duplicates.MapPost("/dismissals", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var request = JsonBody.Read<Request>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ct) : Outcome<Result>.Invalid(request.Errors);
                return outcome.ToHttp("record with this id", r => r.Created
                    ? TypedResults.Created($"/api/v1/duplicates/dismissals/{r.Dismissal.Id}", r.Dismissal)
                    : TypedResults.Ok(r.Dismissal));
            })
            .WithName("DismissDuplicatePair")
            .WithSummary("Mark a pair as \"not a duplicate\"")
            .WithDescription("Body: {entity: contact|company, firstId, secondId}. The finder stops listing the pair. Needs the finder's rights on both records; " +
                             "201 when stored, 200 when the pair was dismissed before.")
            .Accepts<Request>("application/json")
            .Produces<DismissalDto>(StatusCodes.Status201Created)
            .Produces<DismissalDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
