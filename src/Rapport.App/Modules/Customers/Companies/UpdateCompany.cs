using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>PATCH as a JSON merge patch over the company's writable fields; needs If-Match.</summary>
public static class UpdateCompany
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        /// <summary>API: a merge patch; touching a field the caller may not edit is a 403.</summary>
        public Task<Outcome<CompanyDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, (current, _) => JsonBody.Merge(current, patch), ct);

        /// <summary>Forms: every field is sent; those the user may not edit keep their value.</summary>
        public Task<Outcome<CompanyDto>> HandleAsync(Guid id, CompanyFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, (current, policy) => Outcome<CompanyFields>.Ok(CompanyFieldSecurity.Keep(current, fields, policy)), ct);

        /// <summary>Bulk actions: a change computed from the company's current fields; touching a field the caller may not edit is a 403.</summary>
        public Task<Outcome<CompanyDto>> HandleAsync(Guid id, Func<CompanyFields, Outcome<CompanyFields>> change, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, (current, _) => change(current), ct);

        /// <summary>Batches: every rule of a merge-patch change, and the change, not applied yet.</summary>
        public Task<Outcome<CompanyWrite>> CheckAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            CheckAsync(id, ifMatch, (current, _) => JsonBody.Merge(current, patch), ct);

        private async Task<Outcome<CompanyDto>> ChangeAsync(
            Guid id, IfMatch ifMatch, Func<CompanyFields, FieldPolicy, Outcome<CompanyFields>> change, CancellationToken ct)
        {
            var write = await CheckAsync(id, ifMatch, change, ct);
            if (write.IsOk)
            {
                write = await write.Value!.SaveAsync(ct);
            }

            return write.IsOk
                ? Outcome<CompanyDto>.Ok(CompanyFieldSecurity.Mask(CompanyDto.From(write.Value!.Company, write.Value.Custom), await access.FieldsAsync(Company.TypeName, ct)))
                : write.As<CompanyDto>();
        }

        private async Task<Outcome<CompanyWrite>> CheckAsync(
            Guid id, IfMatch ifMatch, Func<CompanyFields, FieldPolicy, Outcome<CompanyFields>> change, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<CompanyWrite>.IfMatchRequired();
            }

            var (company, refusal) = await CompanyAccess.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (company is null)
            {
                return refusal!.As<CompanyWrite>();
            }

            if (ifMatch.Version is { } expected && expected != company.Version)
            {
                return Outcome<CompanyWrite>.Stale();
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var current = company.Fields with { Custom = custom.ToApi(company.CustomFields) };
            var changed = change(current, policy);
            if (!changed.IsOk)
            {
                return changed.As<CompanyWrite>();
            }

            var fields = changed.Value! with { Custom = changed.Value!.Custom ?? current.Custom };
            var (values, customErrors) = await custom.ApplyAsync(db, company, fields.Custom, ct);
            if (CompanyFieldSecurity.Forbidden(current, fields, policy).Concat(custom.Restricted(company.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<CompanyWrite>.Forbidden(CompanyFieldSecurity.Refusal(restricted));
            }

            if (await CompanyAccess.CheckAssignmentAsync(access, currentUser, company, fields, ct) is { } refused)
            {
                return refused.As<CompanyWrite>();
            }

            if ((await CompanyRules.CheckAsync(db, fields, company.Id, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<CompanyWrite>.Invalid(errors);
            }

            var domain = CompanyFields.NormalizeDomain(fields.Domain);
            return Outcome<CompanyWrite>.Ok(new CompanyWrite(db, company, custom, values, creates: false, domain == company.Domain ? null : domain, () =>
            {
                company.Change(fields);
                company.SetCustomFields(values);
            }));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct);
                var policy = await access.FieldsAsync(Company.TypeName, ct);
                return outcome.ToHttp("company", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return FieldMask.Json(http, c, policy);
                });
            })
            .WithName("UpdateCompany")
            .WithSummary("Change a company (JSON merge patch)")
            .WithDescription("Send the ETag you read in If-Match: 428 without it, 412 when the company changed since.")
            .Accepts<CompanyFields>("application/merge-patch+json", "application/json")
            .Produces<CompanyDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
