using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Modules.Customers.Companies;

/// <summary>
/// Streams the companies of a list view — its filter, sort and columns — as CSV or Excel: the companies the caller may
/// read and export, without the fields their roles hide, in chunks so a million rows never sit in memory, each chunk
/// reading only the columns the file shows.
/// </summary>
public static class ExportCompanies
{
    public static readonly IReadOnlyList<ExportColumn<CompanyDto>> Columns =
    [
        new("id", c => c.Id),
        new("name", c => c.Name),
        new("domain", c => c.Domain),
        new("industry", c => c.Industry),
        new("phone", c => c.Phone),
        new("website", c => c.Website),
        new("address.street", c => c.Address.Street),
        new("address.city", c => c.Address.City),
        new("address.region", c => c.Address.Region),
        new("address.postalCode", c => c.Address.PostalCode),
        new("address.country", c => c.Address.Country),
        new("ownerId", c => c.OwnerId),
        new("teamId", c => c.TeamId),
        new("size", c => c.Size),
        new("annualRevenue.amount", c => c.AnnualRevenue?.Amount),
        new("annualRevenue.currency", c => c.AnnualRevenue?.Currency),
        new("parentCompanyId", c => c.ParentCompanyId),
        new("lifecycleStage", c => c.LifecycleStage),
        new("tags", c => c.Tags),
        new("createdAt", c => c.CreatedAt),
        new("updatedAt", c => c.UpdatedAt),
    ];

    /// <summary>The company's properties each column reads (a revenue cell needs both its amount and its currency).</summary>
    private static readonly Dictionary<string, string[]> Reads = new()
    {
        ["id"] = [nameof(Company.Id)], ["name"] = [nameof(Company.Name)], ["domain"] = [nameof(Company.Domain)], ["industry"] = [nameof(Company.Industry)],
        ["phone"] = [nameof(Company.Phone)], ["website"] = [nameof(Company.Website)], ["address.street"] = [nameof(Company.Street)],
        ["address.city"] = [nameof(Company.City)], ["address.region"] = [nameof(Company.Region)], ["address.postalCode"] = [nameof(Company.PostalCode)],
        ["address.country"] = [nameof(Company.Country)], ["ownerId"] = [nameof(Company.OwnerId)], ["teamId"] = [nameof(Company.TeamId)],
        ["size"] = [nameof(Company.Size)], ["annualRevenue.amount"] = [nameof(Company.AnnualRevenue), nameof(Company.AnnualRevenueCurrency)],
        ["annualRevenue.currency"] = [nameof(Company.AnnualRevenue), nameof(Company.AnnualRevenueCurrency)],
        ["parentCompanyId"] = [nameof(Company.ParentCompanyId)], ["lifecycleStage"] = [nameof(Company.LifecycleStage)], ["tags"] = [nameof(Company.Tags)],
        ["createdAt"] = [nameof(Company.CreatedAt)], ["updatedAt"] = [nameof(Company.UpdatedAt)],
    };

    /// <summary>The columns of a company an export reads; the others keep their defaults.</summary>
    public sealed class Stored
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string? Domain { get; init; }
        public string? Industry { get; init; }
        public string? Phone { get; init; }
        public string? Website { get; init; }
        public string? Street { get; init; }
        public string? City { get; init; }
        public string? Region { get; init; }
        public string? PostalCode { get; init; }
        public string? Country { get; init; }
        public Guid? OwnerId { get; init; }
        public Guid? TeamId { get; init; }
        public string? Size { get; init; }
        public decimal? AnnualRevenue { get; init; }
        public string? AnnualRevenueCurrency { get; init; }
        public Guid? ParentCompanyId { get; init; }
        public string? LifecycleStage { get; init; }
        public List<string> Tags { get; init; } = [];
        public string? CustomFields { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        /// <summary>The API's view of what was read (custom values parsed only when read), as <see cref="CompanyDto.From"/> makes it.</summary>
        public CompanyDto ToDto(CustomFieldSet custom) => new(
            Id, Name, Domain, Industry, Phone, Website, new CompanyAddress(Street, City, Region, PostalCode, Country), OwnerId, TeamId, Size,
            AnnualRevenue is { } amount ? new CompanyRevenue(amount, AnnualRevenueCurrency!) : null, ParentCompanyId, LifecycleStage, Tags,
            CustomFields is null ? new Dictionary<string, JsonElement>() : custom.ToApi(CustomFields), [], [], CreatedAt, UpdatedAt, null, 0);
    }

    public sealed class Handler(IAccessControl access, ListCompanies.Handler list, RecordExport export, TimeProvider clock)
    {
        public async Task<IResult> HandleAsync(ExportRequest request, CancellationToken ct)
        {
            if (!await RecordExport.AllowedAsync(access, Company.TypeName, ct))
            {
                return Problems.ForbiddenProblem("Your roles do not allow you to export companies.");
            }

            if (RecordExport.Format(request.Format, vcard: false) is not { } format)
            {
                return Problems.Invalid("format", "format must be csv or xlsx (vCard is for contacts).");
            }

            var source = await list.SourceAsync(trash: false, ct);
            var query = await access.ScopeAsync(source.Query, Company.TypeName, AccessAction.Export, ct);
            var (columns, error) = RecordExport.Columns(
                [.. Columns, .. RecordExport.CustomColumns<CompanyDto>(source.Custom, c => c.Custom)], request.Columns,
                RecordExport.DefaultColumns(CompanyViews.Columns), source.Policy);
            if (error is not null)
            {
                return Problems.Invalid("columns", error);
            }

            // Only the columns the file shows are read (no entity is built), the custom values' JSON only for a custom column.
            var projection = RecordExport.Projection<Company, Stored>(
                columns.SelectMany(c => c.Name.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal) ? [nameof(Company.CustomFields)] : Reads[c.Name]));
            var chunks = KeysetPager.ChunksAsync(query, request.Filter, request.Sort, source.Fields, ListCompanies.DefaultSort, clock.GetUtcNow(), RecordExport.ChunkSize, projection, ct);
            return await export.StartAsync(new ExportPlan<CompanyDto>(
                Company.TypeName, $"companies-{clock.GetUtcNow():yyyy-MM-dd}", format, request.Bom == true, columns,
                RowsAsync(chunks, source, ct), request), ct);
        }

        private static async IAsyncEnumerable<IReadOnlyList<CompanyDto>> RowsAsync(
            IAsyncEnumerable<IReadOnlyList<Stored>> chunks, ListSource<Company> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var chunk in chunks.WithCancellation(ct))
            {
                yield return [.. chunk.Select(c => CompanyFieldSecurity.Mask(c.ToDto(source.Custom), source.Policy))];
            }
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapGet("/export", (string? format, string? filter, string? sort, string? columns, bool? bom, Handler handler, CancellationToken ct) =>
                handler.HandleAsync(new ExportRequest(format, filter, sort, columns, bom), ct))
            .WithName("ExportCompanies")
            .WithSummary("Export companies as CSV or Excel")
            .WithDescription("Streams every company matching filter (the list's filter language), in sort order (default -createdAt), that the caller may " +
                             "read and export. format: csv (default; bom=true adds a UTF-8 byte order mark for Excel) or xlsx; vcf is refused (contacts only). " +
                             "columns: a comma list of field names, the headers of the file: id, name, domain, industry, phone, website, address.street, " +
                             "address.city, address.region, address.postalCode, address.country, ownerId, teamId, size, annualRevenue.amount, " +
                             "annualRevenue.currency, parentCompanyId, lifecycleStage, tags, createdAt, updatedAt and custom.<key>; several values are " +
                             "joined with \"; \". Cells a spreadsheet would run as a formula get a leading '. Needs the export right; audited.")
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
