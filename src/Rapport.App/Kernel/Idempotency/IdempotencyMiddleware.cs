using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST under <c>/api</c>: the same key and body replay the first
/// response; a repeat while the first runs gets 409 with <c>Retry-After</c>; the same key with
/// another body gets 422. Keys are per user and workspace.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxBody = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IServiceScopeFactory scopes, ICurrentUser user, TimeProvider clock)
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
        var claimed = IdempotencyRecord.Claim(user.WorkspaceId!.Value, user.UserId!.Value, key, hash, clock.GetUtcNow());
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            db.IdempotencyRecords.Add(claimed);
            try
            {
                await db.SaveChangesAsync(context.RequestAborted);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                var first = await db.IdempotencyRecords.AsNoTracking()
                    .SingleOrDefaultAsync(r => r.UserId == claimed.UserId && r.Key == key, context.RequestAborted);
                await AnswerRepeatAsync(context, first, hash);
                return;
            }
        }

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
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            db.Attach(claimed);
            if (succeeded)
            {
                claimed.Complete(context.Response.StatusCode, context.Response.ContentType,
                    context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                    context.Response.Headers.ETag.ToString() is { Length: > 0 } t ? t : null,
                    buffer.ToArray());
            }
            else
            {
                // A failed first attempt must not block the retry that should succeed.
                db.IdempotencyRecords.Remove(claimed);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IdempotencyRecord? first, string hash)
    {
        if (first is null || !first.Completed)
        {
            context.Response.Headers.RetryAfter = "1";
            await TypedResultsProblem(context, StatusCodes.Status409Conflict, Problems.IdempotencyInProgress,
                "A request with this Idempotency-Key is still running. Retry after it finishes.");
            return;
        }

        if (first.RequestHash != hash)
        {
            await TypedResultsProblem(context, StatusCodes.Status422UnprocessableEntity, Problems.IdempotencyMismatch,
                "This Idempotency-Key was used with a different request. Use a new key for a new request.");
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

    private static Task TypedResultsProblem(HttpContext context, int status, string type, string detail) =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(detail, statusCode: status, type: type).ExecuteAsync(context);

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
