using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.CustomFields;

/// <summary>The custom field definitions of the workspace (every member reads them: forms and lists are built from them).</summary>
public static class ListCustomFields
{
    public sealed class Handler(RapportDbContext db)
    {
        public async Task<Outcome<IReadOnlyList<CustomFieldDto>>> HandleAsync(string? entity, CancellationToken ct)
        {
            if (entity is not null && !CustomFieldRules.EntityTypes(db).Contains(entity))
            {
                return Outcome<IReadOnlyList<CustomFieldDto>>.Invalid("entity", $"entity must be one of: {string.Join(", ", CustomFieldRules.EntityTypes(db))}.");
            }

            var fields = await db.Set<CustomField>().AsNoTracking()
                .Where(f => entity == null || f.EntityType == entity)
                .OrderBy(f => f.EntityType).ThenBy(f => f.Position).ThenBy(f => f.Key)
                .ToListAsync(ct);
            return Outcome<IReadOnlyList<CustomFieldDto>>.Ok([.. fields.Select(CustomFieldDto.From)]);
        }
    }

    public static void Map(RouteGroupBuilder fields) =>
        fields.MapGet("/", async (string? entity, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(entity, ct)).ToHttp("customField", list => TypedResults.Ok(list)))
            .WithName("ListCustomFields")
            .WithSummary("List custom field definitions")
            .WithDescription("entity: contact, company or product (all when absent). Values of these fields appear in records under `custom`, " +
                             "and lists filter and sort on them as `custom.<key>`.")
            .Produces<IReadOnlyList<CustomFieldDto>>()
            .ProducesValidationProblem();
}
