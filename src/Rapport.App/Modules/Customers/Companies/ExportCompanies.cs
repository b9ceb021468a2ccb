using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Modules.Customers.Companies;

/// <summary>
/// Streams the companies of a list view — its filter, sort and columns — as CSV or Excel: the companies the caller may
/// read and export, without the fields their roles hide, in chunks so a million rows never sit in memory.
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

            var chunks = KeysetPager.ChunksAsync(query, request.Filter, request.Sort, source.Fields, ListCompanies.DefaultSort, clock.GetUtcNow(), RecordExport.ChunkSize, ct);
            return await export.StartAsync(new ExportPlan<CompanyDto>(
                Company.TypeName, $"companies-{clock.GetUtcNow():yyyy-MM-dd}", format, request.Bom == true, columns,
                RowsAsync(chunks, source, ct), request), ct);
        }

        private static async IAsyncEnumerable<IReadOnlyList<CompanyDto>> RowsAsync(
            IAsyncEnumerable<IReadOnlyList<Company>> chunks, ListSource<Company> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var chunk in chunks.WithCancellation(ct))
            {
                yield return [.. chunk.Select(c => CompanyFieldSecurity.Mask(CompanyDto.From(c, source.Custom), source.Policy))];
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
