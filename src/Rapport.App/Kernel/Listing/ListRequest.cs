namespace Rapport.Kernel.Listing;

/// <summary>The query parameters every list endpoint takes: <c>filter</c>, <c>sort</c>, <c>limit</c>, <c>cursor</c>.</summary>
public sealed record ListRequest(string? Filter = null, string? Sort = null, int? Limit = null, string? Cursor = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

/// <summary>One page of a list, with the opaque cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);

/// <summary>
/// What a list pages through before paging: the records the caller may read, the fields they may filter and sort on
/// (custom ones included, hidden ones left out), the workspace's custom fields and the caller's field policy.
/// </summary>
public sealed record ListSource<T>(IQueryable<T> Query, Filtering.FieldCatalog<T> Fields, CustomFields.CustomFieldSet Custom, Security.FieldPolicy Policy);
