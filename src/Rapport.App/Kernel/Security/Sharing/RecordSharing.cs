using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Security.Sharing;

/// <summary>
/// Manual sharing for any owned record type: list, share with a member or team (read or edit),
/// revoke. Whoever can read the record sees its shares; its owner, or someone with the assign
/// right on it, may change them. A module maps it with <see cref="Map{T}"/>.
/// </summary>
public static class RecordSharing
{
    public sealed record ShareDto(Guid Id, Guid? UserId, Guid? TeamId, ShareAccess Access, Guid? SharedBy, DateTimeOffset SharedAt)
    {
        public static ShareDto From(RecordShare s) => new(s.Id, s.UserId, s.TeamId, s.Access, s.SharedBy, s.SharedAt);
    }

    public sealed record Request(Guid? UserId = null, Guid? TeamId = null, ShareAccess Access = ShareAccess.Read);

    /// <summary>A record as a page already read it, for pages that manage its shares.</summary>
    public sealed record RecordRef(Guid Id, Guid? OwnerId, Guid? TeamId) : IOwnedRecord;

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock)
    {
        public async Task<Outcome<IReadOnlyList<ShareDto>>> ListAsync(IOwnedRecord? record, string entity, CancellationToken ct)
        {
            if (record is null || !await access.CanAsync(record, entity, AccessAction.Read, ct))
            {
                return Outcome<IReadOnlyList<ShareDto>>.NotFound();
            }

            var shares = await db.Set<RecordShare>().AsNoTracking().Where(s => s.EntityType == entity && s.RecordId == record.Id).OrderBy(s => s.Id).ToListAsync(ct);
            return Outcome<IReadOnlyList<ShareDto>>.Ok([.. shares.Select(ShareDto.From)]);
        }

        public async Task<Outcome<ShareDto>> ShareAsync(IOwnedRecord? record, string entity, Request request, CancellationToken ct)
        {
            if (await RefuseAsync<ShareDto>(record, entity, ct) is { } refused)
            {
                return refused;
            }

            if ((request.UserId is null) == (request.TeamId is null))
            {
                return Outcome<ShareDto>.Invalid("userId", "Share with exactly one member (userId) or one team (teamId).");
            }

            if (!Enum.IsDefined(request.Access))
            {
                return Outcome<ShareDto>.Invalid("access", "Access is read or edit.");
            }

            if (request.UserId is { } user && !await db.Memberships.AnyAsync(m => m.UserId == user && m.DeactivatedAt == null, ct))
            {
                return Outcome<ShareDto>.Invalid("userId", "Share with an active member of this workspace.");
            }

            if (request.TeamId is { } team && !await db.Set<Team>().AnyAsync(t => t.Id == team, ct))
            {
                return Outcome<ShareDto>.Invalid("teamId", "Share with one of this workspace's teams.");
            }

            var existing = await db.Set<RecordShare>().SingleOrDefaultAsync(
                s => s.EntityType == entity && s.RecordId == record!.Id && s.UserId == request.UserId && s.TeamId == request.TeamId, ct);
            if (existing is null)
            {
                existing = RecordShare.Create(entity, record!.Id, request.UserId, request.TeamId, request.Access, currentUser.UserId, clock.GetUtcNow());
                db.Add(existing);
            }
            else
            {
                existing.Change(request.Access);
            }

            await db.SaveChangesAsync(ct);
            return Outcome<ShareDto>.Ok(ShareDto.From(existing));
        }

        public async Task<Outcome<ShareDto>> RevokeAsync(IOwnedRecord? record, string entity, Guid shareId, CancellationToken ct)
        {
            if (await RefuseAsync<ShareDto>(record, entity, ct) is { } refused)
            {
                return refused;
            }

            var share = await db.Set<RecordShare>().SingleOrDefaultAsync(s => s.Id == shareId && s.EntityType == entity && s.RecordId == record!.Id, ct);
            if (share is null)
            {
                return Outcome<ShareDto>.NotFound();
            }

            db.Remove(share);
            await db.SaveChangesAsync(ct);
            return Outcome<ShareDto>.Ok(ShareDto.From(share));
        }

        private async Task<Outcome<T>?> RefuseAsync<T>(IOwnedRecord? record, string entity, CancellationToken ct)
        {
            if (record is null || !await access.CanAsync(record, entity, AccessAction.Read, ct))
            {
                return Outcome<T>.NotFound();
            }

            return record.OwnerId == currentUser.UserId && currentUser.ApiKeyScope != "read" || await access.CanAsync(record, entity, AccessAction.Assign, ct)
                ? null
                : Outcome<T>.Forbidden("Only the record's owner, or someone who may assign it, can change who it is shared with.");
        }
    }

    public static void Map<T>(RouteGroupBuilder records, string entity) where T : WorkspaceEntity, IOwnedRecord
    {
        static Task<T?> Load(RapportDbContext db, Guid id, CancellationToken ct) => db.Set<T>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);

        records.MapGet("/{id:guid}/shares", async (Guid id, Handler handler, RapportDbContext db, CancellationToken ct) =>
                (await handler.ListAsync(await Load(db, id, ct), entity, ct)).ToHttp(entity, TypedResults.Ok))
            .WithName($"List{entity}Shares")
            .WithSummary($"Who this {entity} is shared with")
            .Produces<IReadOnlyList<ShareDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        records.MapPost("/{id:guid}/shares", async (Guid id, Request request, Handler handler, RapportDbContext db, CancellationToken ct) =>
                (await handler.ShareAsync(await Load(db, id, ct), entity, request, ct)).ToHttp(entity, TypedResults.Ok))
            .WithName($"Share{entity}")
            .WithSummary($"Share this {entity} with a member or a team, for read or edit (owner or assign right)")
            .Produces<ShareDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        records.MapDelete("/{id:guid}/shares/{shareId:guid}", async (Guid id, Guid shareId, Handler handler, RapportDbContext db, CancellationToken ct) =>
                (await handler.RevokeAsync(await Load(db, id, ct), entity, shareId, ct)).ToHttp("share", _ => TypedResults.NoContent()))
            .WithName($"Revoke{entity}Share")
            .WithSummary($"Stop sharing this {entity} with a member or team")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
