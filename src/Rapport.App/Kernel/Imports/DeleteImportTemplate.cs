using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Imports;

/// <summary>Deletes a mapping template (If-Match): one's own, or any with an import right covering all records of its entity type.</summary>
public static class DeleteImportTemplate
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user)
    {
        public async Task<Outcome<ImportTemplateDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ImportTemplateDto>.IfMatchRequired();
            }

            var template = await db.Set<ImportTemplate>().SingleOrDefaultAsync(t => t.Id == id, ct);
            var level = template is null ? AccessLevel.None : await access.LevelAsync(template.EntityType, AccessAction.Import, ct);
            if (template is null || level == AccessLevel.None)
            {
                return Outcome<ImportTemplateDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != template.Version)
            {
                return Outcome<ImportTemplateDto>.Stale();
            }

            if (!template.MayBeDeletedBy(user.UserId, level))
            {
                return Outcome<ImportTemplateDto>.Forbidden($"Only who saved a template, or members whose import right covers every {template.EntityType} record, may delete it.");
            }

            db.Remove(template);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ImportTemplateDto>.Stale();
            }

            return Outcome<ImportTemplateDto>.Ok(ImportTemplateDto.From(template, canDelete: true));
        }
    }

    public static void Map(RouteGroupBuilder templates) =>
        templates.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("import template", _ => TypedResults.NoContent()))
            .WithName("DeleteImportTemplate")
            .WithSummary("Delete an import mapping template (If-Match)")
            .WithDescription("Its author may delete it, and so may members whose import right on the entity is at level all. Imports made with it are untouched.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
