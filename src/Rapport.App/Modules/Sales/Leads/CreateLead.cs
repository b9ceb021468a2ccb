using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Leads;

public static class CreateLead
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<LeadDto>> HandleAsync(LeadFields fields, CancellationToken ct)
        {
            if (await access.LevelAsync(Lead.TypeName, AccessAction.Create, ct) == AccessLevel.None)
            {
                return Outcome<LeadDto>.Forbidden("Your roles do not allow you to create leads.");
            }

            var policy = await access.FieldsAsync(Lead.TypeName, ct);
            if (FieldChanges.Restricted(new LeadFields(OwnerId: fields.OwnerId), fields, policy, LeadRules.RestrictableFields)
                    .Concat(CustomFieldSet.NotEditable(fields.Custom, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<LeadDto>.Forbidden($"Your roles do not allow you to set: {string.Join(", ", restricted)}.");
            }

            if (fields.Status == LeadStatus.Converted)
            {
                return Outcome<LeadDto>.Invalid("status", "A lead becomes converted only through POST /leads/{id}/convert.");
            }

            // The owner and team a caller names need the assign right; those the assignment rules choose do not.
            if (fields.OwnerId is not null && await LeadRules.CheckAssignmentAsync(access, currentUser, null, fields, ct) is { } refused)
            {
                return refused;
            }

            var (phones, errors) = await LeadRules.CheckAsync(db, fields, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Lead>(db, null, fields.Custom, ct);
            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<LeadDto>.Invalid(all);
            }

            var now = clock.GetUtcNow();
            var lead = Lead.Create(currentUser.WorkspaceId!.Value, fields, phones, null);
            if (fields.OwnerId is null)
            {
                var choice = await LeadAssignment.ChooseAsync(db, lead, now, ct);
                var assigned = fields with { OwnerId = choice?.OwnerId ?? currentUser.UserId, TeamId = fields.TeamId ?? choice?.TeamId };
                if (choice is null && await LeadRules.CheckAssignmentAsync(access, currentUser, null, assigned, ct) is { } teamRefused)
                {
                    return teamRefused;
                }

                lead = Lead.Create(currentUser.WorkspaceId!.Value, assigned, phones, choice?.RuleId);
            }

            lead.SetCustomFields(values);
            var score = (await LeadScorer.LoadAsync(db, now, ct)).Score(lead, changing: true);
            lead.Rescore(score.Total);
            db.Add(lead);
            await db.SaveChangesAsync(ct);
            return Outcome<LeadDto>.Ok(LeadDto.From(lead, score, custom));
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapPost("/", async (JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<LeadFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<LeadDto>.Invalid(fields.Errors);
                var policy = await access.FieldsAsync(Lead.TypeName, ct);
                return outcome.ToHttp("lead", l =>
                {
                    ETags.Set(http.Response, l.Version);
                    http.Response.Headers.Location = $"/api/v1/leads/{l.Id}";
                    return FieldMask.Json(http, l, policy, StatusCodes.Status201Created);
                });
            })
            .WithName("CreateLead")
            .WithSummary("Create a lead")
            .WithDescription("Without an ownerId the lead-assignment rules choose the owner (and team), in order; when none applies the owner is you. " +
                             "The status starts as new. The score is computed from the lead-scoring rules. Accepts Idempotency-Key.")
            .Accepts<LeadFields>("application/json")
            .Produces<LeadDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
