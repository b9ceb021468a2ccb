using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.Listing;

/// <summary>How many records of a filtered list fall in each value of a single-select field (the counts of a kanban's columns), in one query.</summary>
public static class GroupCounts
{
    /// <returns>value → count; records without a value count under the empty string.</returns>
    public static async Task<IReadOnlyDictionary<string, int>> CountAsync<T>(
        IQueryable<T> query, string? filter, FieldCatalog<T> fields, string groupBy, DateTimeOffset now, CancellationToken ct)
    {
        if (fields.Find(groupBy) is not { Kind: FieldKind.Text, Selector: Expression<Func<T, string?>> selector })
        {
            throw new FilterException("groupBy", $"Cannot group by \"{(groupBy.Length > 40 ? groupBy[..40] : groupBy)}\".");
        }

        if (!string.IsNullOrWhiteSpace(filter))
        {
            query = query.Where(FilterCompiler.Compile(filter, fields, now));
        }

        var rows = await query.GroupBy(selector).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Key ?? "", r => r.Count);
    }
}
