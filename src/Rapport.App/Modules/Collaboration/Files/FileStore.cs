using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Rapport.Kernel;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>
/// Where file bytes live: <c>&lt;Rapport:Files:Directory&gt;/&lt;workspace id&gt;/&lt;random name&gt;</c>, by default
/// <c>&lt;data directory&gt;/files</c> — outside the web root, reached only through the authorized download endpoint.
/// Uploads are streamed to a temporary file next to it (never held whole in memory), counted against
/// <c>Rapport:Files:MaxSizeMegabytes</c>, and moved into place once the upload is accepted.
/// </summary>
public sealed class FileStore
{
    public const double DefaultMaxSizeMegabytes = 25;
    private const string Incoming = ".incoming";

    public FileStore(IConfiguration configuration, IHostEnvironment environment)
    {
        Root = configuration["Rapport:Files:Directory"] is { Length: > 0 } directory
            ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, directory))
            : Path.Combine(KernelSetup.DataDirectory(configuration, environment.ContentRootPath), "files");
        var megabytes = double.TryParse(configuration["Rapport:Files:MaxSizeMegabytes"], NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) && mb > 0
            ? mb : DefaultMaxSizeMegabytes;
        MaxBytes = (long)(megabytes * 1024 * 1024);
        Allowed = configuration["Rapport:Files:AllowedTypes"] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToHashSet()
            : FileTypes.All.Select(t => t.Key).ToHashSet();
    }

    public string Root { get; }

    public long MaxBytes { get; }

    /// <summary>Keys of <see cref="FileTypes.All"/> this installation accepts.</summary>
    public IReadOnlySet<string> Allowed { get; }

    /// <summary>Streams an upload to a temporary file, hashing it and keeping its first bytes for the type check.</summary>
    /// <exception cref="FileTooLargeException">The content is longer than <see cref="MaxBytes"/>; nothing is kept.</exception>
    public async Task<ReceivedFile> ReceiveAsync(Stream content, string fileName, CancellationToken ct)
    {
        var incoming = Path.Combine(Root, Incoming);
        Directory.CreateDirectory(incoming);
        var path = Path.Combine(incoming, RandomName());
        var head = new byte[FileTypes.HeadLength];
        var headLength = 0;
        long size = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                    {
                        throw new FileTooLargeException(MaxBytes);
                    }

                    var toHead = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, toHead).CopyTo(head.AsSpan(headLength));
                    headLength += toHead;
                    sha.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                await target.FlushAsync(ct);
            }

            return new ReceivedFile(path, Path.GetFileName(fileName), size, Convert.ToHexStringLower(sha.GetHashAndReset()), head[..headLength]);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Moves an accepted upload to its place; returns its stored (random) name.</summary>
    public string Keep(ReceivedFile file, Guid workspaceId)
    {
        var directory = Path.Combine(Root, workspaceId.ToString("N"));
        Directory.CreateDirectory(directory);
        var name = RandomName();
        File.Move(file.TemporaryPath, Path.Combine(directory, name));
        return name;
    }

    public string PathOf(Guid workspaceId, string storageName) => Path.Combine(Root, workspaceId.ToString("N"), storageName);

    public void Delete(Guid workspaceId, string storageName) => File.Delete(PathOf(workspaceId, storageName));

    private static string RandomName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>An upload on disk, not yet accepted; disposing it removes the temporary file unless it was kept.</summary>
public sealed record ReceivedFile(string TemporaryPath, string FileName, long Size, string Sha256, byte[] Head) : IDisposable
{
    public void Dispose() => File.Delete(TemporaryPath);
}

public sealed class FileTooLargeException(long maxBytes)
    : Exception($"The file is larger than the limit of {FileStore.Megabytes(maxBytes)} MB.")
{
    public long MaxBytes { get; } = maxBytes;
}
