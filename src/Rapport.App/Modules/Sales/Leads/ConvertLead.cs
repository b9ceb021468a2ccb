using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Contracts;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// Converts a lead, in one transaction: links the contact (by email or phone) and company (by domain or name) the duplicate
/// checks find, or creates them; optionally creates a deal with both; marks the lead converted with links to all three.
/// What it creates belongs to the one who converts. Any refusal (rights, validation) leaves nothing behind.
/// </summary>
public static class ConvertLead
{
    /// <param name="DealName">The new deal's name; the company's (or the lead's) name when left out.</param>
    /// <param name="PipelineId">The pipeline the deal starts in (its first open stage); the first pipeline when left out.</param>
    public sealed record Request(bool CreateDeal = false, string? DealName = null, Guid? PipelineId = null);

    /// <summary>The records the lead became; <c>*Created</c> false means an existing record was linked.</summary>
    public sealed record Result(Guid ContactId, bool ContactCreated, Guid? CompanyId, bool CompanyCreated, Guid? DealId, bool DealCreated, LeadDto Lead);

    /// <summary>Mail providers whose domain says nothing about the lead's company.</summary>
    private static readonly HashSet<string> PublicMailDomains =
        ["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me",
         "protonmail.com", "gmx.de", "gmx.net", "web.de", "qq.com", "foxmail.com", "163.com", "126.com", "sina.com", "sohu.com", "yeah.net", "139.com"];

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, ICustomerConversion customers, CreateDeal.Handler createDeal)
    {
        public async Task<Outcome<Result>> HandleAsync(Guid id, Request request, IfMatch ifMatch, CancellationToken ct)
        {
            var (lead, refusal) = await LeadRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (lead is null)
            {
                return refusal!.As<Result>();
            }

            if (ifMatch.Version is { } expected && expected != lead.Version)
            {
                return Outcome<Result>.Stale();
            }

            if (lead.IsConverted)
            {
                return Outcome<Result>.Conflict("The lead is converted already.");
            }

            if (lead.FirstName is null && lead.LastName is null)
            {
                return Outcome<Result>.Invalid("lastName", "Give the lead a first or last name before converting it: it becomes a contact.");
            }

            if (request.DealName is { Length: > Deal.NameMaxLength })
            {
                return Outcome<Result>.Invalid("dealName", $"At most {Deal.NameMaxLength} characters.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var owner = currentUser.UserId;
            ConvertedRecord? company = null;
            if (lead.CompanyName is { } companyName)
            {
                var found = await customers.FindOrCreateCompanyAsync(new OrganisationToConvert(companyName, DomainOf(lead), lead.Website, lead.Industry,
                    lead.Size, lead.Country, owner, null), ct);
                if (!found.IsOk)
                {
                    return found.As<Result>();
                }

                company = found.Value;
            }

            var contact = await customers.FindOrCreateContactAsync(new PersonToConvert(lead.FirstName, lead.LastName, lead.Emails, lead.Phones, lead.JobTitle,
                lead.Source, owner, null), company?.Id, ct);
            if (!contact.IsOk)
            {
                return contact.As<Result>();
            }

            Guid? dealId = null;
            if (request.CreateDeal)
            {
                var name = string.IsNullOrWhiteSpace(request.DealName) ? lead.CompanyName ?? lead.DisplayName : request.DealName.Trim();
                var deal = await createDeal.HandleAsync(new DealFields(name, PipelineId: request.PipelineId, CompanyId: company?.Id,
                    Contacts: [new DealContactFields(contact.Value!.Id)]), ct);
                if (!deal.IsOk)
                {
                    return deal.Kind == OutcomeKind.Invalid
                        ? Outcome<Result>.Invalid(deal.Errors.ToDictionary(e => e.Key == "pipelineId" ? "pipelineId" : $"deal.{e.Key}", e => e.Value))
                        : deal.As<Result>();
                }

                dealId = deal.Value!.Id;
            }

            lead.Convert(contact.Value!.Id, contact.Value.Created, company?.Id, company?.Created ?? false, dealId, dealId is not null, clock.GetUtcNow(), owner);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            var dto = LeadDto.From(lead, (await LeadScorer.LoadAsync(db, clock.GetUtcNow(), ct)).Score(lead), await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct));
            return Outcome<Result>.Ok(new Result(contact.Value.Id, contact.Value.Created, company?.Id, company?.Created ?? false, dealId, dealId is not null, dto));
        }

        /// <summary>The company's domain: the website's host, else the email's domain unless it is a public mail provider's.</summary>
        private static string? DomainOf(Lead lead)
        {
            if (lead.Website is { } website && Uri.TryCreate(website, UriKind.Absolute, out var uri))
            {
                return uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
            }

            var domain = lead.Emails.FirstOrDefault()?.Split('@').LastOrDefault();
            return domain is null || !domain.Contains('.', StringComparison.Ordinal) || PublicMailDomains.Contains(domain) ? null : domain;
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapPost("/{id:guid}/convert", async (Guid id, JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var request = JsonBody.Read<Request>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(id, request.Value!, ETags.ReadIfMatch(http.Request), ct) : Outcome<Result>.Invalid(request.Errors);
                var policy = await access.FieldsAsync(Lead.TypeName, ct);
                return outcome.ToHttp("lead", r =>
                {
                    ETags.Set(http.Response, r.Lead.Version);
                    return FieldMask.Json(http, r, policy);
                });
            })
            .WithName("ConvertLead")
            .WithSummary("Convert a lead into a contact, a company and optionally a deal")
            .WithDescription("In one transaction: a contact you can see with one of the lead's emails or phones is linked, else a contact is created; " +
                             "likewise a company with the lead's domain or company name; with createDeal, a deal (dealName, pipelineId) with both. " +
                             "Answers the ids it made or linked (contactCreated etc. say which). 409 when the lead is converted already. If-Match optional.")
            .Accepts<Request>("application/json")
            .Produces<Result>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
