using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Leads;

/// <summary>PATCH as a JSON merge patch over the lead's writable fields (If-Match); the score is computed again.</summary>
public static class UpdateLead
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock)
    {
        public Task<Outcome<LeadDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), ct);

        public Task<Outcome<LeadDto>> HandleAsync(Guid id, LeadFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, _ => Outcome<LeadFields>.Ok(fields), ct);

        /// <summary>Changes the lead as <paramref name="change"/> makes its current fields (an import merging a row's cells).</summary>
        public Task<Outcome<LeadDto>> HandleAsync(Guid id, Func<LeadFields, Outcome<LeadFields>> change, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, change, ct);

        private async Task<Outcome<LeadDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<LeadFields, Outcome<LeadFields>> change, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<LeadDto>.IfMatchRequired();
            }

            var (lead, refusal) = await LeadRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (lead is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != lead.Version)
            {
                return Outcome<LeadDto>.Stale();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct);
            var policy = await access.FieldsAsync(Lead.TypeName, ct);
            var current = lead.Fields with { Custom = custom.ToApi(lead.CustomFields) };
            var changed = change(current);
            if (!changed.IsOk)
            {
                return changed.As<LeadDto>();
            }

            var fields = changed.Value! with { Custom = changed.Value!.Custom ?? current.Custom };
            var (values, customErrors) = await custom.ApplyAsync(db, lead, fields.Custom, ct);
            if (FieldChanges.Restricted(current, fields, policy, LeadRules.RestrictableFields)
                    .Concat(custom.Restricted(lead.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<LeadDto>.Forbidden($"Your roles do not allow you to change: {string.Join(", ", restricted)}.");
            }

            if (await LeadRules.CheckAssignmentAsync(access, currentUser, lead, fields, ct) is { } refused)
            {
                return refused;
            }

            var (phones, errors) = await LeadRules.CheckAsync(db, fields, ct);
            if (fields.Status != current.Status && (fields.Status == LeadStatus.Converted || lead.IsConverted))
            {
                errors["status"] = [lead.IsConverted
                    ? "A converted lead keeps its status; an administrator may undo the conversion (POST /leads/{id}/convert/undo)."
                    : "A lead becomes converted only through POST /leads/{id}/convert."];
            }

            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<LeadDto>.Invalid(all);
            }

            var scorer = await LeadScorer.LoadAsync(db, clock.GetUtcNow(), ct);
            if (JsonSerializer.Serialize(fields with { Phones = phones }) == JsonSerializer.Serialize(current) && values == lead.CustomFields)
            {
                return Outcome<LeadDto>.Ok(LeadDto.From(lead, scorer.Score(lead), custom)); // nothing to change, no new version
            }

            lead.Change(fields, phones);
            lead.SetCustomFields(values);
            var score = scorer.Score(lead, changing: true);
            lead.Rescore(score.Total);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<LeadDto>.Stale();
            }

            return Outcome<LeadDto>.Ok(LeadDto.From(lead, score, custom));
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct);
                var policy = await access.FieldsAsync(Lead.TypeName, ct);
                return outcome.ToHttp("lead", l =>
                {
                    ETags.Set(http.Response, l.Version);
                    return FieldMask.Json(http, l, policy);
                });
            })
            .WithName("UpdateLead")
            .WithSummary("Change a lead (JSON merge patch, If-Match)")
            .WithDescription("status moves among new, working, qualified and unqualified; converted only through POST /leads/{id}/convert.")
            .Accepts<LeadFields>("application/merge-patch+json", "application/json")
            .Produces<LeadDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
