using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST under <c>/api</c>: the same key and body replay the first
/// response; a repeat while the first runs gets 409 with <c>Retry-After</c>; the same key with
/// another body gets 422. Keys are per user and workspace and kept 24 hours. The key is claimed
/// (a row) before the request runs, so concurrent repeats act once; a claim left by a crash
/// before any write is taken over after a minute.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxBody = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IServiceScopeFactory scopes, ICurrentUser user, IdempotencyClaim claim, TimeProvider clock)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || key.Length == 0
            || !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || !user.IsAuthenticated)
        {
            await next(context);
            return;
        }

        if (key.Length > IdempotencyRecord.KeyMaxLength)
        {
            await Problems.Invalid(Header, $"The key may be at most {IdempotencyRecord.KeyMaxLength} characters.").ExecuteAsync(context);
            return;
        }

        var hash = await HashRequestAsync(context.Request);
        var record = IdempotencyRecord.Claim(user.WorkspaceId!.Value, user.UserId!.Value, key, hash, clock.GetUtcNow());
        if (await TryClaimAsync(scopes, record, clock, context.RequestAborted) is { } first)
        {
            await AnswerRepeatAsync(context, first, hash);
            return;
        }

        claim.Hold(record);
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var succeeded = false;
        try
        {
            await next(context);
            succeeded = context.Response.StatusCode < 500;
        }
        finally
        {
            context.Response.Body = original;
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
            await FinishAsync(scopes, record, succeeded, claim.Committed, context.Response, buffer.ToArray());
        }
    }

    /// <summary>Claims the key; returns the existing claim instead when another request holds it.</summary>
    private static async Task<IdempotencyRecord?> TryClaimAsync(IServiceScopeFactory scopes, IdempotencyRecord record, TimeProvider clock, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return null;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                var first = await db.IdempotencyRecords.SingleOrDefaultAsync(r => r.UserId == record.UserId && r.Key == record.Key, ct);
                if (first is null || attempt > 0 || !first.IsAbandoned(clock.GetUtcNow()))
                {
                    return first ?? record;
                }

                db.IdempotencyRecords.Remove(first);
                await db.SaveChangesAsync(ct);
            }
        }
    }

    private static async Task FinishAsync(IServiceScopeFactory scopes, IdempotencyRecord record, bool succeeded, bool committed, HttpResponse response, byte[] body)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        db.Attach(record);
        if (succeeded)
        {
            record.Complete(response.StatusCode, response.ContentType,
                response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
                body);
        }
        else if (!committed)
        {
            // A failed attempt that wrote nothing must not block the retry that should succeed.
            db.IdempotencyRecords.Remove(record);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IdempotencyRecord first, string hash)
    {
        if (first.RequestHash != hash)
        {
            await Problem(context, StatusCodes.Status422UnprocessableEntity, Problems.IdempotencyMismatch,
                "This Idempotency-Key was used with a different request. Use a new key for a new request.");
            return;
        }

        if (!first.Completed)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problem(context, StatusCodes.Status409Conflict, Problems.IdempotencyInProgress,
                "A request with this Idempotency-Key is still running. Retry after it finishes.");
            return;
        }

        context.Response.StatusCode = first.StatusCode;
        if (first.ContentType is not null)
        {
            context.Response.ContentType = first.ContentType;
        }

        if (first.Location is not null)
        {
            context.Response.Headers.Location = first.Location;
        }

        if (first.ETag is not null)
        {
            context.Response.Headers.ETag = first.ETag;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(first.Body ?? [], context.RequestAborted);
    }

    private static Task Problem(HttpContext context, int status, string type, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: type).ExecuteAsync(context);

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering(MaxBody);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
