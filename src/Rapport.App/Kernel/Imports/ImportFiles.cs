using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Rapport.Kernel.Imports;

/// <summary>Uploaded import files, kept (under random names, outside the web root) until their import can no longer be undone.</summary>
public sealed class ImportFiles(IConfiguration configuration, IHostEnvironment environment)
{
    public const long MaxBytes = 1L << 30; // 1 GB: a million contacts take about 150 MB

    public string Root { get; } = Path.Combine(KernelSetup.DataDirectory(configuration, environment.ContentRootPath), "imports");

    public string PathOf(Guid workspaceId, string storedName) => Path.Combine(Root, workspaceId.ToString("N"), storedName);

    /// <summary>Copies the upload to a new random name and returns the name; the copy is never larger than <see cref="MaxBytes"/>.</summary>
    public async Task<(string StoredName, long Bytes)> KeepAsync(Guid workspaceId, Stream upload, CancellationToken ct)
    {
        var storedName = Guid.NewGuid().ToString("N");
        var path = PathOf(workspaceId, storedName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await upload.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > MaxBytes)
                {
                    throw new InvalidDataException($"The file is larger than {MaxBytes / (1 << 20)} MB.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            await file.FlushAsync(ct);
            return (storedName, total);
        }
        catch
        {
            // Too large, or the upload broke off (a closed browser tab): no partial file stays behind.
            File.Delete(path);
            throw;
        }
    }

    public void Delete(Guid workspaceId, string storedName)
    {
        var path = PathOf(workspaceId, storedName);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
