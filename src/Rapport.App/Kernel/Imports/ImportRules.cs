using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>What every import request checks: a known entity the caller may import, and a readable format, encoding and delimiter.</summary>
internal static class ImportRules
{
    private static readonly string[] Encodings = ["utf-8", "gb18030", "gbk", "utf-16", "big5", "windows-1252"];
    private static readonly string[] Delimiters = [",", ";", "\\t", "|"];

    public static async Task<(IImportTarget? Target, Outcome<T>? Refusal)> TargetAsync<T>(IServiceProvider services, IAccessControl access, string? entity, CancellationToken ct)
    {
        var known = services.GetRequiredService<ImportTargets>().EntityTypes;
        if (entity is null || !known.Contains(entity))
        {
            return (null, Outcome<T>.Invalid("entity", $"Entity must be one of: {string.Join(", ", known)}."));
        }

        if (await access.LevelAsync(entity, AccessAction.Import, ct) == AccessLevel.None)
        {
            return (null, Outcome<T>.Forbidden($"Your roles do not allow you to import {entity} records."));
        }

        return (services.GetRequiredKeyedService<IImportTarget>(entity), null);
    }

    public static Outcome<(string Format, string? Encoding, string? Delimiter)> CheckOptions(string path, string fileName, string? format, string? encoding, string? delimiter)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is null)
        {
            Span<byte> head = stackalloc byte[8];
            using (var file = File.OpenRead(path))
            {
                head = head[..file.Read(head)];
            }

            format = fileName.EndsWith(".vcf", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".vcard", StringComparison.OrdinalIgnoreCase) ? ImportFormats.VCard
                : TabularReader.DetectFormat(fileName, head) switch { TabularFormat.Xlsx => ImportFormats.Xlsx, TabularFormat.Csv => ImportFormats.Csv, _ => null };
            if (format is null)
            {
                errors["file"] = ["The file is neither CSV, Excel (.xlsx) nor vCard (.vcf)."];
            }
        }
        else if (!ImportFormats.All.Contains(format))
        {
            errors["format"] = [$"Format must be one of: {string.Join(", ", ImportFormats.All)}."];
        }

        if (encoding is not null && !Encodings.Contains(encoding.ToLowerInvariant()))
        {
            errors["encoding"] = [$"Encoding must be one of: {string.Join(", ", Encodings)} (or left out to detect it)."];
        }

        if (delimiter is not null && !Delimiters.Contains(delimiter))
        {
            errors["delimiter"] = [$"Delimiter must be one of: {string.Join(" ", Delimiters)} (or left out to detect it)."];
        }

        return errors.Count > 0 ? Outcome<(string, string?, string?)>.Invalid(errors) : Outcome<(string, string?, string?)>.Ok((format!, encoding?.ToLowerInvariant(), delimiter));
    }
}

/// <summary>The entity types modules registered an <see cref="IImportTarget"/> for.</summary>
public sealed class ImportTargets
{
    private readonly List<string> _types = [];

    public IReadOnlyList<string> EntityTypes => _types;

    internal void Add(string entityType) => _types.Add(entityType);
}
