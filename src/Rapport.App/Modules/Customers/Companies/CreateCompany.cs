using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

public static class CreateCompany
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<Outcome<CompanyDto>> HandleAsync(CompanyFields fields, CancellationToken ct)
        {
            if (await access.LevelAsync(Company.TypeName, AccessAction.Create, ct) == AccessLevel.None)
            {
                return Outcome<CompanyDto>.Forbidden("Your roles do not allow you to create companies.");
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            if (CompanyFieldSecurity.ForbiddenOnCreate(fields, policy).Concat(CustomFieldSet.NotEditable(fields.Custom, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<CompanyDto>.Forbidden(CompanyFieldSecurity.Refusal(restricted));
            }

            fields = fields with { OwnerId = fields.OwnerId ?? currentUser.UserId };
            if (await CompanyAccess.CheckAssignmentAsync(access, currentUser, null, fields, ct) is { } refused)
            {
                return refused;
            }

            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Company>(db, null, fields.Custom, ct);
            if ((await CompanyRules.CheckAsync(db, fields, null, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<CompanyDto>.Invalid(errors);
            }

            var company = Company.Create(fields);
            company.SetCustomFields(values);
            db.Add(company);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return await custom.UniqueErrorsAsync(db, company.Id, values, ct) is { Count: > 0 } taken
                    ? Outcome<CompanyDto>.Invalid(taken)
                    : Outcome<CompanyDto>.Invalid("domain", "Another company already has this domain.");
            }

            return Outcome<CompanyDto>.Ok(CompanyFieldSecurity.Mask(CompanyDto.From(company, custom), policy));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPost("/", async (JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<CompanyFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<CompanyDto>.Invalid(fields.Errors);
                var policy = await access.FieldsAsync(Company.TypeName, ct);
                return outcome.ToHttp("company", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    http.Response.Headers.Location = $"/api/v1/companies/{c.Id}";
                    return FieldMask.Json(http, c, policy, StatusCodes.Status201Created);
                });
            })
            .WithName("CreateCompany")
            .WithSummary("Create a company")
            .WithDescription("Accepts Idempotency-Key. The owner defaults to the caller.")
            .Accepts<CompanyFields>("application/json")
            .Produces<CompanyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
