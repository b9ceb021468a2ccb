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

        private async Task<Outcome<CompanyDto>> ChangeAsync(
            Guid id, IfMatch ifMatch, Func<CompanyFields, FieldPolicy, Outcome<CompanyFields>> change, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<CompanyDto>.IfMatchRequired();
            }

            var (company, refusal) = await CompanyAccess.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (company is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != company.Version)
            {
                return Outcome<CompanyDto>.Stale();
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var current = company.Fields with { Custom = custom.ToApi(company.CustomFields) };
            var fields = change(current, policy);
            if (!fields.IsOk)
            {
                return Outcome<CompanyDto>.Invalid(fields.Errors);
            }

            if (fields.Value!.Custom is null)
            {
                fields = Outcome<CompanyFields>.Ok(fields.Value with { Custom = current.Custom });
            }

            var (values, customErrors) = await custom.ApplyAsync(db, company, fields.Value!.Custom, ct);
            if (CompanyFieldSecurity.Forbidden(current, fields.Value!, policy).Concat(custom.Restricted(company.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<CompanyDto>.Forbidden(CompanyFieldSecurity.Refusal(restricted));
            }

            if (await CompanyAccess.CheckAssignmentAsync(access, currentUser, company, fields.Value!, ct) is { } refused)
            {
                return refused;
            }

            if ((await CompanyRules.CheckAsync(db, fields.Value!, company.Id, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<CompanyDto>.Invalid(errors);
            }

            company.Change(fields.Value!);
            company.SetCustomFields(values);
            try
            {
                // The version read above is the original value EF checks: a concurrent writer makes this update match no row.
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<CompanyDto>.Stale();
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
