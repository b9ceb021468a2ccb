using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Imports;

/// <summary>The mapping templates of one entity type, for members who may import it; canDelete says which ones the caller may delete.</summary>
public static class ListImportTemplates
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, IServiceProvider services)
    {
        public async Task<Outcome<IReadOnlyList<ImportTemplateDto>>> HandleAsync(string? entity, CancellationToken ct)
        {
            var (target, refusal) = await ImportRules.TargetAsync<IReadOnlyList<ImportTemplateDto>>(services, access, entity, ct);
            if (target is null)
            {
                return refusal!;
            }

            var level = await access.LevelAsync(entity!, AccessAction.Import, ct);
            var templates = await db.Set<ImportTemplate>().AsNoTracking().Where(t => t.EntityType == entity)
                .OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(ct);
            return Outcome<IReadOnlyList<ImportTemplateDto>>.Ok([.. templates.Select(t => ImportTemplateDto.From(t, t.MayBeDeletedBy(user.UserId, level)))]);
        }
    }

    public static void Map(RouteGroupBuilder templates) =>
        templates.MapGet("/", async (string? entity, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(entity, ct)).ToHttp("import template", t => TypedResults.Ok(t)))
            .WithName("ListImportTemplates")
            .WithSummary("List the import mapping templates of an entity type")
            .WithDescription("entity: contact, company or lead. Every template of the workspace for that type, by name: its mapping (column header → field key, " +
                             "null for a column left out), mode and key. Needs the import right on the entity; canDelete says whether you may delete each one.")
            .Produces<IReadOnlyList<ImportTemplateDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
