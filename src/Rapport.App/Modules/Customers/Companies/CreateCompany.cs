using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
            var write = await CheckAsync(fields, ct);
            if (write.IsOk)
            {
                write = await write.Value!.SaveAsync(ct);
            }

            return write.IsOk
                ? Outcome<CompanyDto>.Ok(CompanyFieldSecurity.Mask(CompanyDto.From(write.Value!.Company, write.Value.Custom), await access.FieldsAsync(Company.TypeName, ct)))
                : write.As<CompanyDto>();
        }

        /// <summary>Every rule of a create, and the company it would add; nothing enters the context before the write is applied.</summary>
        public async Task<Outcome<CompanyWrite>> CheckAsync(CompanyFields fields, CancellationToken ct)
        {
            if (await access.LevelAsync(Company.TypeName, AccessAction.Create, ct) == AccessLevel.None)
            {
                return Outcome<CompanyWrite>.Forbidden("Your roles do not allow you to create companies.");
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            if (CompanyFieldSecurity.ForbiddenOnCreate(fields, policy).Concat(CustomFieldSet.NotEditable(fields.Custom, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<CompanyWrite>.Forbidden(CompanyFieldSecurity.Refusal(restricted));
            }

            fields = fields with { OwnerId = fields.OwnerId ?? currentUser.UserId };
            if (await CompanyAccess.CheckAssignmentAsync(access, currentUser, null, fields, ct) is { } refused)
            {
                return refused.As<CompanyWrite>();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Company>(db, null, fields.Custom, ct);
            if ((await CompanyRules.CheckAsync(db, fields, null, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<CompanyWrite>.Invalid(errors);
            }

            var company = Company.Create(fields);
            company.SetCustomFields(values);
            return Outcome<CompanyWrite>.Ok(new CompanyWrite(db, company, custom, values, creates: true, company.Domain, () => db.Add(company)));
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
