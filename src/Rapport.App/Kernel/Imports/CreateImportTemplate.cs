using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Imports;

/// <summary>Saves a mapping as a named template of the workspace, checked like an import's mapping (known fields, mode, key).</summary>
public static class CreateImportTemplate
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, TimeProvider clock, IServiceProvider services)
    {
        public async Task<Outcome<ImportTemplateDto>> HandleAsync(ImportTemplateFields request, CancellationToken ct)
        {
            var (target, refusal) = await ImportRules.TargetAsync<ImportTemplateDto>(services, access, request.Entity, ct);
            if (target is null)
            {
                return refusal!;
            }

            var entity = request.Entity!;
            var mapping = request.Mapping ?? new Dictionary<string, string?>();
            var (mode, key, errors) = await ImportRules.CheckMappingAsync(target, db, entity, await target.FieldsAsync(db, ct), mapping, request.Mode, request.Key, ct);
            if (mapping.Count > ImportTemplate.MaxColumns)
            {
                errors["mapping"] = [$"A template holds at most {ImportTemplate.MaxColumns} columns."];
            }
            else if (mapping.Keys.FirstOrDefault(c => c.Length > ImportTemplate.ColumnMaxLength) is { } longColumn)
            {
                errors["mapping"] = [$"The column \"{longColumn[..40]}…\" is longer than {ImportTemplate.ColumnMaxLength} characters."];
            }

            var name = request.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                errors["name"] = ["Give the template a name."];
            }
            else if (name.Length > ImportTemplate.NameMaxLength)
            {
                errors["name"] = [$"The name is longer than {ImportTemplate.NameMaxLength} characters."];
            }
            else if (await db.Set<ImportTemplate>().AnyAsync(t => t.EntityType == entity && t.Name == name, ct))
            {
                errors["name"] = [NameTaken];
            }

            if (errors.Count > 0)
            {
                return Outcome<ImportTemplateDto>.Invalid(errors);
            }

            var template = ImportTemplate.Create(entity, name, mapping, mode, key, user.UserId!.Value, clock.GetUtcNow());
            db.Add(template);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<ImportTemplateDto>.Invalid("name", NameTaken);
            }

            return Outcome<ImportTemplateDto>.Ok(ImportTemplateDto.From(template, canDelete: true));
        }

        private const string NameTaken = "A template with this name exists already; choose another name or delete that one first.";
    }

    public static void Map(RouteGroupBuilder templates) =>
        templates.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ImportTemplateFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<ImportTemplateDto>.Invalid(fields.Errors);
                return outcome.ToHttp("import template", t =>
                {
                    ETags.Set(response, t.Version);
                    return TypedResults.Created($"/api/v1/imports/templates/{t.Id}", t);
                });
            })
            .WithName("CreateImportTemplate")
            .WithSummary("Save an import mapping as a template")
            .WithDescription("{\"entity\":\"contact\",\"name\":\"Trade fair list\",\"mapping\":{\"E-mail\":\"emails\",\"姓名\":\"name\",\"Notes\":null},\"mode\":\"upsert\",\"key\":\"email\"}. " +
                             "The mapping is checked like an import's: field keys the entity has (see the fields of POST /imports/preview), at least one mapped " +
                             "column, and for update or upsert a column holding the key. The name is unique per entity type. Needs the import right on the entity.")
            .Accepts<ImportTemplateFields>("application/json")
            .Produces<ImportTemplateDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
