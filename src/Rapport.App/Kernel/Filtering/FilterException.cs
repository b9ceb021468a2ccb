namespace Rapport.Kernel.Filtering;

/// <summary>A filter, sort or cursor the caller sent is not valid; <see cref="Field"/> names the query parameter.</summary>
public sealed class FilterException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
