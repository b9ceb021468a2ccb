using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Search;

/// <summary>
/// One search over every registered record type (<c>GET /api/v1/search</c> and the app bar's box): the
/// index is matched in the database (FTS5 / GIN), joined to the records the caller may read, limited to
/// the fields they may see, ranked, and shown through each module's titles — two queries per type.
/// </summary>
public static class GlobalSearch
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 50;
    /// <summary>Index rows fetched per wanted result, for ranking in memory after the database's cut.</summary>
    private const int CandidatesPerResult = 5;

    /// <param name="Field">The field that matched best (<c>name</c>, <c>emails</c>, <c>phones</c>…).</param>
    /// <param name="Link">The record's page in the app.</param>
    public sealed record Hit(Guid Id, string Type, string Title, string? Subtitle, string Field, string Link);

    public sealed record Group(string Type, IReadOnlyList<Hit> Results);

    /// <param name="Groups">One per type with results, the type with the best match first.</param>
    public sealed record Answer(string Query, IReadOnlyList<Group> Groups);

    public sealed class Handler(RapportDbContext db, IAccessControl access, SearchCatalog catalog, IServiceProvider services)
    {
        public async Task<Outcome<Answer>> HandleAsync(string? q, string? types, int? limit, CancellationToken ct)
        {
            var text = q?.Trim() ?? "";
            var errors = new Dictionary<string, string[]>();
            if (text.Length == 0)
            {
                errors["q"] = ["Say what to search for."];
            }
            else if (text.Length > SearchQuery.MaxLength)
            {
                errors["q"] = [$"A search is at most {SearchQuery.MaxLength} characters."];
            }

            var names = types?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            if (names.FirstOrDefault(n => catalog.Find(n) is null) is { } unknown)
            {
                errors["types"] = [$"'{unknown}' is not a searchable type; searchable: {string.Join(", ", catalog.Sources.Select(s => s.EntityType))}."];
            }

            if (limit is < 1 or > MaxLimit)
            {
                errors["limit"] = [$"The limit is from 1 to {MaxLimit}."];
            }

            if (errors.Count > 0)
            {
                return Outcome<Answer>.Invalid(errors);
            }

            var query = SearchQuery.Parse(text);
            IReadOnlyList<SearchSource> sources = names.Length == 0 ? catalog.Sources : [.. catalog.Sources.Where(s => names.Contains(s.EntityType))];
            var groups = new List<(Group Group, Rank Best)>();
            foreach (var source in query.IsEmpty ? [] : sources)
            {
                if (await SearchAsync(source, query, limit ?? DefaultLimit, ct) is { } found)
                {
                    groups.Add(found);
                }
            }

            return Outcome<Answer>.Ok(new Answer(text, [.. groups.OrderBy(g => g.Best).Select(g => g.Group)]));
        }

        private async Task<(Group, Rank)?> SearchAsync(SearchSource source, SearchQuery query, int limit, CancellationToken ct)
        {
            var policy = await access.FieldsAsync(source.EntityType, ct);
            var fields = source.Readable(policy).Select(f => f.Name).ToArray();
            if (fields.Length == 0)
            {
                return null;
            }

            var candidates = await source.FindAsync(db, access, Matches(query), fields, limit * CandidatesPerResult, ct);
            var best = candidates
                .Select(c => (c.RecordId, c.Field, Rank: Rank.Of(SearchText.Quality(c.Text, query), Array.IndexOf(fields, c.Field), c.Text.Length)))
                .GroupBy(c => c.RecordId)
                .Select(g => g.MinBy(c => c.Rank))
                .OrderBy(c => c.Rank)
                .Take(limit)
                .ToList();
            if (best.Count == 0)
            {
                return null;
            }

            var titles = (await source.TitlesAsync(db, access, services, [.. best.Select(b => b.RecordId)], policy, ct)).ToDictionary(t => t.Id);
            var hits = best.Where(b => titles.ContainsKey(b.RecordId))
                .Select(b => new Hit(b.RecordId, source.EntityType, titles[b.RecordId].Title, titles[b.RecordId].Subtitle, b.Field, source.Link(b.RecordId)))
                .ToList();
            return hits.Count == 0 ? null : (new Group(source.EntityType, hits), best[0].Rank);
        }

        /// <summary>The index rows matching the query, found through FTS5 on SQLite and the GIN index on PostgreSQL.</summary>
        private IQueryable<SearchEntry> Matches(SearchQuery query)
        {
            if (db.IsSqlite)
            {
                var match = query.ToFts5();
                // CROSS JOIN makes SQLite drive from the FTS matches, whatever else the outer query filters on.
                return db.Set<SearchEntry>().FromSql($"""
                    SELECT e.* FROM kernel_search_fts CROSS JOIN kernel_search_entries AS e ON e.seq = kernel_search_fts.rowid
                    WHERE kernel_search_fts MATCH {match}
                    """);
            }

            var tsQuery = query.ToTsQuery();
            return db.Set<SearchEntry>().Where(e =>
                EF.Property<NpgsqlTsVector>(e, SearchEntry.PostgresDocument).Matches(EF.Functions.ToTsQuery("simple", tsQuery)));
        }
    }

    /// <summary>
    /// Matches in the name first, then the other fields in the order the source declares them; within a
    /// field exact matches, then prefixes, then word starts, then substrings; then shorter texts first.
    /// </summary>
    private readonly record struct Rank(int Field, int Quality, int Length) : IComparable<Rank>
    {
        public static Rank Of(int quality, int field, int length) => new(field, -quality, length);

        public int CompareTo(Rank other) => (Field, Quality, Length).CompareTo((other.Field, other.Quality, other.Length));
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/search", async (string? q, string? types, int? limit, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(q, types, limit, ct)).ToHttp("search", answer => TypedResults.Ok(answer)))
            .WithTags("Search")
            .WithName("Search")
            .WithSummary("Search records")
            .WithDescription("q: what to look for (1–200 characters): words match as prefixes, Chinese from one character on " +
                             "(小明 finds 王小明), emails and domains by their parts, phone numbers in any format with or without " +
                             "the country code. types: comma-separated entity types (default all, e.g. contact,company). " +
                             "limit: results per type, 1–50 (default 10). Only records and fields the caller may read are searched; " +
                             "results are grouped by type, best first, each with id, title, subtitle, the field that matched and a link.")
            .Produces<Answer>()
            .ProducesValidationProblem();
}
