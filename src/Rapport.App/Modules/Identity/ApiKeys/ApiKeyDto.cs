namespace Rapport.Modules.Identity.ApiKeys;

/// <param name="Key">The key itself: only in the answer that creates it.</param>
public sealed record ApiKeyDto(
    Guid Id, string Name, ApiKeyScope Scope, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? Key = null)
{
    public static ApiKeyDto From(ApiKey k, string? key = null) =>
        new(k.Id, k.Name, k.Scope, k.Hint, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt, key);
}
