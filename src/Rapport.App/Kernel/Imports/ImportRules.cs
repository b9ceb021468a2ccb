using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>What every import request checks: a known entity the caller may import, and a readable format, encoding and delimiter.</summary>
internal static class ImportRules
{
    internal static readonly string[] Encodings = ["utf-8", "gb18030", "gbk", "utf-16", "big5", "windows-1252"];
    internal static readonly string[] Delimiters = [",", ";", "\\t", "|"];

    /// <summary>The entity types the caller may import (for pages: which choices and links to show).</summary>
    public static async Task<List<string>> AllowedAsync(IAccessControl access, ImportTargets targets, CancellationToken ct)
    {
        var allowed = new List<string>();
        foreach (var entity in targets.EntityTypes)
        {
            if (await access.LevelAsync(entity, AccessAction.Import, ct) > AccessLevel.None)
            {
                allowed.Add(entity);
            }
        }

        return allowed;
    }

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

    /// <summary>
    /// What a mapping (column → field key or null), mode and key must be, for an import and a template alike: known fields, at least
    /// one mapped column, a known mode and key, and for update or upsert a column holding the key. Absent mode and key take the defaults.
    /// </summary>
    public static async Task<(string Mode, string Key, Dictionary<string, string[]> Errors)> CheckMappingAsync(IImportTarget target, RapportDbContext db, string entity,
        IReadOnlyList<ImportFieldInfo> fields, IReadOnlyDictionary<string, string?> mapping, string? mode, string? key, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var unknownFields = mapping.Values.OfType<string>().Where(f => fields.All(k => k.Key != f)).Distinct().ToList();
        if (unknownFields.Count > 0)
        {
            errors["mapping"] = [$"There is no field {string.Join(", ", unknownFields)} on {entity}s. Fields: {string.Join(", ", fields.Select(f => f.Key))}."];
        }
        else if (mapping.Values.All(f => f is null))
        {
            errors["mapping"] = ["Map at least one column to a field."];
        }

        mode ??= ImportModes.Create;
        if (!ImportModes.All.Contains(mode))
        {
            errors["mode"] = [$"Mode must be one of: {string.Join(", ", ImportModes.All)}."];
        }

        var keys = await target.KeysAsync(db, ct);
        key ??= target.DefaultKey;
        if (!keys.Contains(key))
        {
            errors["key"] = [$"Key must be one of: {string.Join(", ", keys)}."];
        }
        else if (mode != ImportModes.Create && !target.KeyFields(key).Any(mapping.Values.Contains))
        {
            errors["key"] = [$"Map a column to {string.Join(" or ", target.KeyFields(key))} to find records by {key}."];
        }

        return (mode, key, errors);
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
