using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;
using Rapport.Modules.Customers.Companies;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// Streams the contacts of a list view — its filter, sort and columns — as CSV, Excel or vCard: the contacts the caller
/// may read and export, without the fields their roles hide, in chunks so a million rows never sit in memory.
/// </summary>
public static class ExportContacts
{
    /// <summary>A contact as exported: the API's view of it plus its primary company's name (when the caller may read that company).</summary>
    public sealed record Row(ContactDto Contact, string? Company);

    public static readonly IReadOnlyList<ExportColumn<Row>> Columns =
    [
        new("id", r => r.Contact.Id),
        new("firstName", r => r.Contact.FirstName),
        new("lastName", r => r.Contact.LastName),
        new("emails", r => r.Contact.Emails),
        new("phones", r => r.Contact.Phones),
        new("jobTitle", r => r.Contact.JobTitle),
        new("birthday", r => r.Contact.Birthday),
        new("company", r => r.Company, "companyId"),
        new("companyId", r => r.Contact.CompanyId),
        new("companyIds", r => r.Contact.CompanyIds.Select(id => id.ToString()), "companyId"),
        new("ownerId", r => r.Contact.OwnerId),
        new("teamId", r => r.Contact.TeamId),
        new("lifecycleStage", r => r.Contact.LifecycleStage),
        new("source", r => r.Contact.Source),
        new("preferredLanguage", r => r.Contact.PreferredLanguage),
        new("tags", r => r.Contact.Tags),
        new("address.street", r => r.Contact.Address.Street),
        new("address.city", r => r.Contact.Address.City),
        new("address.region", r => r.Contact.Address.Region),
        new("address.postalCode", r => r.Contact.Address.PostalCode),
        new("address.country", r => r.Contact.Address.Country),
        new("createdAt", r => r.Contact.CreatedAt),
        new("updatedAt", r => r.Contact.UpdatedAt),
    ];

    /// <summary>The contact's properties each column reads.</summary>
    private static readonly Dictionary<string, string[]> Reads = new()
    {
        ["id"] = [nameof(Contact.Id)], ["firstName"] = [nameof(Contact.FirstName)], ["lastName"] = [nameof(Contact.LastName)],
        ["emails"] = [nameof(Contact.Emails)], ["phones"] = [nameof(Contact.Phones)], ["jobTitle"] = [nameof(Contact.JobTitle)],
        ["birthday"] = [nameof(Contact.Birthday)], ["company"] = [nameof(Contact.CompanyId)], ["companyId"] = [nameof(Contact.CompanyId)],
        ["companyIds"] = [nameof(Stored.CompanyIds)], ["ownerId"] = [nameof(Contact.OwnerId)], ["teamId"] = [nameof(Contact.TeamId)],
        ["lifecycleStage"] = [nameof(Contact.LifecycleStage)], ["source"] = [nameof(Contact.Source)], ["preferredLanguage"] = [nameof(Contact.PreferredLanguage)],
        ["tags"] = [nameof(Contact.Tags)], ["address.street"] = [nameof(Contact.Street)], ["address.city"] = [nameof(Contact.City)],
        ["address.region"] = [nameof(Contact.Region)], ["address.postalCode"] = [nameof(Contact.PostalCode)], ["address.country"] = [nameof(Contact.Country)],
        ["createdAt"] = [nameof(Contact.CreatedAt)], ["updatedAt"] = [nameof(Contact.UpdatedAt)],
    };

    /// <summary>What a vCard reads.</summary>
    private static readonly string[] CardReads =
    [
        nameof(Contact.FirstName), nameof(Contact.LastName), nameof(Contact.Emails), nameof(Contact.Phones), nameof(Contact.JobTitle),
        nameof(Contact.Birthday), nameof(Contact.CompanyId), nameof(Contact.Tags), nameof(Contact.PreferredLanguage), nameof(Contact.Street),
        nameof(Contact.City), nameof(Contact.Region), nameof(Contact.PostalCode), nameof(Contact.Country),
    ];

    /// <summary>Read in the page's query, not from a column.</summary>
    private static readonly Dictionary<string, LambdaExpression> Computed = new()
    {
        [nameof(Stored.CompanyIds)] = (Expression<Func<Contact, List<Guid>>>)(c => c.Companies.Select(l => l.CompanyId).ToList()),
    };

    /// <summary>The columns of a contact an export reads; the others keep their defaults.</summary>
    public sealed class Stored
    {
        public Guid Id { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public List<string> Emails { get; init; } = [];
        public List<string> Phones { get; init; } = [];
        public string? JobTitle { get; init; }
        public DateOnly? Birthday { get; init; }
        public Guid? CompanyId { get; init; }
        public List<Guid> CompanyIds { get; init; } = [];
        public Guid? OwnerId { get; init; }
        public Guid? TeamId { get; init; }
        public string? LifecycleStage { get; init; }
        public string? Source { get; init; }
        public string? PreferredLanguage { get; init; }
        public List<string> Tags { get; init; } = [];
        public string? Street { get; init; }
        public string? City { get; init; }
        public string? Region { get; init; }
        public string? PostalCode { get; init; }
        public string? Country { get; init; }
        public string? CustomFields { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        /// <summary>The API's view of what was read (custom values parsed only when read).</summary>
        public ContactDto ToDto(bool familyFirst, CustomFieldSet custom) => new(
            Id, FirstName, LastName, ContactDto.NameOf(FirstName, LastName, familyFirst), Emails, Phones, JobTitle, Birthday, CompanyId, CompanyIds,
            OwnerId, TeamId, LifecycleStage, Source, PreferredLanguage, Tags,
            CustomFields is null ? new Dictionary<string, JsonElement>() : custom.ToApi(CustomFields),
            new CompanyAddress(Street, City, Region, PostalCode, Country), CreatedAt, UpdatedAt, null, 0);
    }

    public sealed class Handler(
        RapportDbContext db, ICurrentUser currentUser, IAccessControl access, ListContacts.Handler list, RecordExport export, TimeProvider clock)
    {
        public async Task<IResult> HandleAsync(ExportRequest request, CancellationToken ct)
        {
            if (!await RecordExport.AllowedAsync(access, Contact.TypeName, ct))
            {
                return Problems.ForbiddenProblem("Your roles do not allow you to export contacts.");
            }

            if (RecordExport.Format(request.Format, vcard: true) is not { } format)
            {
                return Problems.Invalid("format", "format must be csv, xlsx or vcf.");
            }

            var source = await list.SourceAsync(trash: false, ct, companies: false);
            var (columns, error) = RecordExport.Columns(
                [.. Columns, .. RecordExport.CustomColumns<Row>(source.Custom, r => r.Contact.Custom)], request.Columns,
                RecordExport.DefaultColumns(ContactViews.Columns), source.Policy);
            if (error is not null)
            {
                return Problems.Invalid("columns", error);
            }

            // Only the columns the file shows are read (no entity is built): the company links and the custom values' JSON too.
            var vcard = format == ExportFormat.VCard;
            string[] reads = vcard ? CardReads : [.. columns.SelectMany(c => c.Name.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal) ? [nameof(Contact.CustomFields)] : Reads[c.Name])];
            var projection = RecordExport.Projection<Contact, Stored>(reads, Computed);
            var links = reads.Contains(nameof(Stored.CompanyIds));
            var query = await access.ScopeAsync(links ? source.Query.Include(c => c.Companies) : source.Query, Contact.TypeName, AccessAction.Export, ct);

            var policy = source.Policy;
            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct);
            var companyNames = vcard ? !policy.IsHidden("companyId") : columns.Any(c => c.Name == "company");
            var chunks = KeysetPager.ChunksAsync(query, request.Filter, request.Sort, source.Fields, ListContacts.DefaultSort, clock.GetUtcNow(), RecordExport.ChunkSize, projection, ct);
            return await export.StartAsync(new ExportPlan<Row>(
                Contact.TypeName, $"contacts-{clock.GetUtcNow():yyyy-MM-dd}", format, request.Bom == true, columns,
                RowsAsync(chunks, familyFirst, source.Custom, companyNames, ct), request, r => Card(r, policy)), ct);
        }

        private async IAsyncEnumerable<IReadOnlyList<Row>> RowsAsync(
            IAsyncEnumerable<IReadOnlyList<Stored>> chunks, bool familyFirst, CustomFieldSet custom, bool companyNames,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var chunk in chunks.WithCancellation(ct))
            {
                var names = companyNames ? await CompanyNamesAsync(chunk, ct) : [];
                yield return [.. chunk.Select(c => new Row(c.ToDto(familyFirst, custom), c.CompanyId is { } id ? names.GetValueOrDefault(id) : null))];
            }
        }

        /// <summary>One query per chunk, through the companies' own read scope: a company the caller may not read lends no name.</summary>
        private async Task<Dictionary<Guid, string>> CompanyNamesAsync(IReadOnlyList<Stored> chunk, CancellationToken ct)
        {
            var ids = chunk.Select(c => c.CompanyId).OfType<Guid>().Distinct().ToList();
            if (ids.Count == 0 || (await access.FieldsAsync(Company.TypeName, ct)).IsHidden("name"))
            {
                return [];
            }

            var companies = await access.ScopeAsync(db.Set<Company>().AsNoTracking(), Company.TypeName, AccessAction.Read, ct);
            return await companies.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        }

        /// <summary>The contact's vCard, without what the caller's roles hide.</summary>
        private static VCardContact Card(Row row, FieldPolicy policy)
        {
            var c = row.Contact;
            T? Shown<T>(string field, T value) => policy.IsHidden(field) ? default : value;
            var (first, last) = (Shown("firstName", c.FirstName), Shown("lastName", c.LastName));
            return new VCardContact
            {
                GivenName = first,
                FamilyName = last,
                FormattedName = policy.IsHidden("firstName") || policy.IsHidden("lastName") ? string.Join(" ", new[] { first, last }.OfType<string>()) : c.DisplayName,
                Emails = Shown("emails", c.Emails) ?? [],
                Phones = Shown("phones", c.Phones) ?? [],
                Organization = row.Company,
                Title = Shown("jobTitle", c.JobTitle),
                Birthday = Shown("birthday", c.Birthday),
                Street = Shown("address", c.Address.Street),
                City = Shown("address", c.Address.City),
                Region = Shown("address", c.Address.Region),
                PostalCode = Shown("address", c.Address.PostalCode),
                Country = Shown("address", c.Address.Country),
                Categories = Shown("tags", c.Tags) ?? [],
                Language = Shown("preferredLanguage", c.PreferredLanguage),
            };
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapGet("/export", (string? format, string? filter, string? sort, string? columns, bool? bom, Handler handler, CancellationToken ct) =>
                handler.HandleAsync(new ExportRequest(format, filter, sort, columns, bom), ct))
            .WithName("ExportContacts")
            .WithSummary("Export contacts as CSV, Excel or vCard")
            .WithDescription("Streams every contact matching filter (the list's filter language), in sort order (default -createdAt), that the caller may " +
                             "read and export. format: csv (default; bom=true adds a UTF-8 byte order mark for Excel), xlsx or vcf (vCard 4.0). " +
                             "columns: a comma list of field names, the headers of the file: id, firstName, lastName, emails, phones, jobTitle, birthday, " +
                             "company (primary company's name), companyId, companyIds, ownerId, teamId, lifecycleStage, source, preferredLanguage, tags, " +
                             "address.street, address.city, address.region, address.postalCode, address.country, createdAt, updatedAt and custom.<key>; " +
                             "several values are joined with \"; \". Cells a spreadsheet would run as a formula get a leading '. Needs the export right; audited.")
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/vcard")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
