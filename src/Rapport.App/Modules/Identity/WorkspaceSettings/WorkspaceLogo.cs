using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.WorkspaceSettings;

/// <summary>The workspace's logo, printed on quotes: a small PNG or JPEG (checked by its bytes), set and removed by administrators.</summary>
public static class WorkspaceLogo
{
    public sealed record Image(byte[] Bytes, string ContentType);

    /// <summary>The image type of <paramref name="bytes"/> by their signature: PNG or JPEG, else null.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : null;

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<Image?> GetAsync(CancellationToken ct) =>
            await db.Workspaces.AsNoTracking().Where(w => w.Id == currentUser.WorkspaceId && w.Logo != null)
                .Select(w => new Image(w.Logo!, w.LogoContentType!)).SingleOrDefaultAsync(ct);

        /// <summary>Sets the logo (<paramref name="image"/>) or removes it (null).</summary>
        public async Task<Outcome<WorkspaceDto>> SetAsync(byte[]? image, CancellationToken ct)
        {
            if (await Access.Administrators.RequireAsync<WorkspaceDto>(access, ct) is { } refused)
            {
                return refused;
            }

            var type = image is null ? null : TypeOf(image);
            if (image is not null && (type is null || image.Length > Workspace.LogoMaxBytes))
            {
                return Outcome<WorkspaceDto>.Invalid("logo", $"The logo is a PNG or JPEG image of at most {Workspace.LogoMaxBytes / 1024} KB.");
            }

            var workspace = await db.Workspaces.SingleAsync(w => w.Id == currentUser.WorkspaceId, ct);
            workspace.ChangeLogo(image, type);
            await db.SaveChangesAsync(ct);
            return Outcome<WorkspaceDto>.Ok(WorkspaceDto.From(workspace));
        }
    }

    public static void Map(IEndpointRouteBuilder workspace)
    {
        workspace.MapGet("/workspace/logo", async Task<IResult> (Handler handler, CancellationToken ct) =>
                await handler.GetAsync(ct) is { } image ? TypedResults.File(image.Bytes, image.ContentType) : Problems.NotFoundProblem("logo"))
            .WithName("GetWorkspaceLogo")
            .WithSummary("The workspace's logo image")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);
        workspace.MapPut("/workspace/logo", async (Handler handler, HttpRequest request, CancellationToken ct) =>
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length <= Workspace.LogoMaxBytes)
                {
                    buffer.Write(chunk, 0, read);
                }

                return (await handler.SetAsync(buffer.ToArray(), ct)).ToHttp("workspace", TypedResults.Ok);
            })
            .WithName("SetWorkspaceLogo")
            .WithSummary("Set the workspace's logo (administrators)")
            .WithDescription("The body is the image itself: PNG or JPEG, at most 256 KB (400 otherwise).")
            .Accepts<byte[]>("image/png", "image/jpeg")
            .Produces<WorkspaceDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        workspace.MapDelete("/workspace/logo", async (Handler handler, CancellationToken ct) =>
                (await handler.SetAsync(null, ct)).ToHttp("workspace", _ => TypedResults.NoContent()))
            .WithName("RemoveWorkspaceLogo")
            .WithSummary("Remove the workspace's logo (administrators)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
