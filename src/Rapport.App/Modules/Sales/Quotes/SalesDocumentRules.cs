using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// What quotes, orders and contracts share: each belongs to a deal and takes its owner and team (so roles reach them as they
/// reach deals: a rep the ones of their own deals), is made only on a deal the caller may read, and is numbered per workspace.
/// </summary>
internal static class SalesDocumentRules
{
    /// <summary>
    /// The documents whose deal is not in the trash. Documents follow their deal: while it is in the trash they are neither listed
    /// nor readable nor changeable, and restoring the deal brings them back as they were (nothing is written to them either way).
    /// </summary>
    public static IQueryable<T> OfLiveDeals<T>(this IQueryable<T> documents, RapportDbContext db) where T : class, IDealDocument =>
        documents.Where(d => db.Set<Deal>().Any(deal => deal.Id == d.DealId));

    /// <summary>The deal a new document goes on: one the caller may read, else null.</summary>
    public static async Task<Deal?> ReadableDealAsync(RapportDbContext db, IAccessControl access, Guid? dealId, CancellationToken ct) =>
        dealId is { } id
            ? await (await access.ScopeAsync(db.Set<Deal>().AsNoTracking(), Deal.TypeName, AccessAction.Read, ct)).SingleOrDefaultAsync(d => d.Id == id, ct)
            : null;

    public static Dictionary<string, string[]> NoDeal(Guid? dealId) =>
        new() { ["dealId"] = [dealId is null ? "Say which deal this is for (dealId)." : "No deal with this id that you may read."] };

    /// <summary>The next number with <paramref name="prefix"/> (Q-00001): one more than the numbers used so far, the trash included.</summary>
    public static async Task<string> NextNumberAsync<T>(IQueryable<T> all, Func<IQueryable<T>, IQueryable<string>> numbers, string prefix, CancellationToken ct)
        where T : BusinessRecord
    {
        var used = await numbers(all.IgnoreQueryFilters([RapportDbContext.TrashFilter])).Distinct().CountAsync(ct);
        return $"{prefix}{used + 1:D5}";
    }

    /// <summary>Null when the caller may create <paramref name="entity"/> records, else the 403.</summary>
    public static async Task<Outcome<TDto>?> RequireCreateAsync<TDto>(IAccessControl access, string entity, string what, CancellationToken ct) =>
        await access.LevelAsync(entity, AccessAction.Create, ct) == AccessLevel.None ? Outcome<TDto>.Forbidden($"Your roles do not allow you to create {what}.") : null;

    public static Task<(T? Record, Outcome<TDto>? Refusal)> LoadForAsync<T, TDto>(
        RapportDbContext db, IAccessControl access, string entity, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
        where T : BusinessRecord, IOwnedRecord, IDealDocument
    {
        var records = db.Set<T>().OfLiveDeals(db);
        var query = inTrash ? records.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(r => r.DeletedAt != null) : records;
        return RecordAccess.LoadForAsync<T, TDto>(query, access, entity, id, action, ct);
    }

    /// <summary>Moves a record to the trash (If-Match required) or brings it back (If-Match optional).</summary>
    public static async Task<Outcome<TDto>> TrashAsync<T, TDto>(
        RapportDbContext db, IAccessControl access, Guid? userId, DateTimeOffset now, string entity, Guid id, IfMatch ifMatch, bool restore,
        Func<T, TDto> answer, CancellationToken ct)
        where T : BusinessRecord, IOwnedRecord, IDealDocument
    {
        if (!ifMatch.Present && !restore)
        {
            return Outcome<TDto>.IfMatchRequired();
        }

        var (record, refusal) = await LoadForAsync<T, TDto>(db, access, entity, id, AccessAction.Delete, restore, ct);
        if (record is null)
        {
            return refusal!;
        }

        if (ifMatch.Version is { } expected && expected != record.Version)
        {
            return Outcome<TDto>.Stale();
        }

        if (restore)
        {
            record.Restore();
        }
        else
        {
            record.MoveToTrash(now, userId);
        }

        return await SaveAsync(db, () => answer(record), ct);
    }

    /// <summary>Maps DELETE /{id} and POST /{id}/restore for one kind of sales document.</summary>
    public static void MapTrash<TDto>(RouteGroupBuilder group, string entity, string name,
        Func<Guid, bool, IfMatch, IServiceProvider, CancellationToken, Task<Outcome<TDto>>> handle, Func<TDto, int> version)
    {
        var plural = entity + "s";
        group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
                (await handle(id, false, ETags.ReadIfMatch(http.Request), http.RequestServices, ct)).ToHttp(entity, _ => TypedResults.NoContent()))
            .WithName($"Delete{name}")
            .WithSummary($"Move a {entity} to the trash (If-Match)")
            .WithDescription($"Restore with POST /{plural}/{{id}}/restore within 30 days; after that it is purged.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id:guid}/restore", async (Guid id, HttpContext http, CancellationToken ct) =>
                (await handle(id, true, ETags.ReadIfMatch(http.Request), http.RequestServices, ct)).ToHttp($"{entity} in the trash", d =>
                {
                    ETags.Set(http.Response, version(d));
                    return TypedResults.Ok(d);
                }))
            .WithName($"Restore{name}")
            .WithSummary($"Restore a {entity} from the trash")
            .Produces<TDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    /// <summary>Saves, turning a lost race for the same record into 412.</summary>
    public static async Task<Outcome<TDto>> SaveAsync<TDto>(RapportDbContext db, Func<TDto> answer, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TDto>.Stale();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Outcome<TDto>.Conflict("Another document took this number at the same moment. Try again.");
        }

        return Outcome<TDto>.Ok(answer());
    }
}

/// <summary>A quote, order or contract: it belongs to one deal.</summary>
public interface IDealDocument
{
    Guid DealId { get; }
}
