using System.Text;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>A type of file the workspace accepts: recognised by its first bytes, with the extensions its name may have.</summary>
/// <param name="Key">The name used in <c>Rapport:Files:AllowedTypes</c>.</param>
/// <param name="ContentType">What downloads are served as (never HTML, SVG or anything a browser would run).</param>
public sealed record FileType(string Key, string ContentType, IReadOnlyList<string> Extensions);

/// <summary>
/// Decides a file's type from its content (magic bytes), never from the name or the type the client claims, and
/// checks the name's extension agrees: an executable, ELF binary or script renamed to .pdf or .png is refused.
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes the checks read.</summary>
    public const int HeadLength = 8192;

    public static readonly FileType Pdf = new("pdf", "application/pdf", [".pdf"]);
    public static readonly FileType Png = new("png", "image/png", [".png"]);
    public static readonly FileType Jpeg = new("jpeg", "image/jpeg", [".jpg", ".jpeg"]);
    public static readonly FileType Gif = new("gif", "image/gif", [".gif"]);
    public static readonly FileType Webp = new("webp", "image/webp", [".webp"]);
    public static readonly FileType Text = new("text", "text/plain; charset=utf-8", [".txt", ".csv", ".md", ".log"]);
    public static readonly FileType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);
    public static readonly FileType Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]);
    public static readonly FileType Pptx = new("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", [".pptx"]);

    public static readonly IReadOnlyList<FileType> All = [Pdf, Png, Jpeg, Gif, Webp, Text, Docx, Xlsx, Pptx];

    /// <summary>The file's type, or why it is refused.</summary>
    public static (FileType? Type, string? Refusal) Detect(ReadOnlySpan<byte> head, string fileName, IReadOnlySet<string> allowed)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (IsExecutable(head))
        {
            return (null, "Executables and scripts are not accepted, whatever their name.");
        }

        var type = ByContent(head, extension);
        if (type is null || !allowed.Contains(type.Key))
        {
            var names = All.Where(t => allowed.Contains(t.Key)).SelectMany(t => t.Extensions);
            return (null, $"This type of file is not accepted. Accepted: {string.Join(", ", names)}.");
        }

        return type.Extensions.Contains(extension)
            ? (type, null)
            : (null, $"The file's content is {type.Key.ToUpperInvariant()}, but its name ends in \"{extension}\". Rename it to {type.Extensions[0]}.");
    }

    private static bool IsExecutable(ReadOnlySpan<byte> head) =>
        head.StartsWith("MZ"u8)                                           // Windows PE
        || Starts(head, 0x7F, (byte)'E', (byte)'L', (byte)'F')      // ELF
        || Starts(head, 0xFE, 0xED, 0xFA, 0xCE) || Starts(head, 0xFE, 0xED, 0xFA, 0xCF)
        || Starts(head, 0xCE, 0xFA, 0xED, 0xFE) || Starts(head, 0xCF, 0xFA, 0xED, 0xFE)
        || Starts(head, 0xCA, 0xFE, 0xBA, 0xBE)                      // Mach-O, Java class
        || SkipBom(head).StartsWith("#!"u8);                              // shell, Python… scripts

    private static FileType? ByContent(ReadOnlySpan<byte> head, string extension)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (Starts(head, 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A))
        {
            return Png;
        }

        if (Starts(head, 0xFF, 0xD8, 0xFF))
        {
            return Jpeg;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        if (Starts(head, (byte)'P', (byte)'K', 0x03, 0x04))
        {
            // Office documents are ZIP packages; which one is told by the name (the content types differ only inside).
            return extension switch { ".docx" => Docx, ".xlsx" => Xlsx, ".pptx" => Pptx, _ => null };
        }

        return IsText(head) ? Text : null;
    }

    /// <summary>UTF-8 without NUL bytes (a multi-byte character cut at the end of the head is fine).</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0 || head.Contains((byte)0))
        {
            return false;
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            decoder.GetCharCount(head, flush: false);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool Starts(ReadOnlySpan<byte> head, params ReadOnlySpan<byte> prefix) => head.StartsWith(prefix);

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> head) => Starts(head, 0xEF, 0xBB, 0xBF) ? head[3..] : head;
}
