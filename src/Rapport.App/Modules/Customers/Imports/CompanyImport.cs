using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Transfer;
using Rapport.Modules.Customers.Companies;

namespace Rapport.Modules.Customers.Imports;

/// <summary>Companies from a file, through <see cref="CreateCompany"/> and <see cref="UpdateCompany"/>. Keys: domain, name, or a unique custom field.</summary>
public sealed class CompanyImport(CreateCompany.Handler create, UpdateCompany.Handler update, DeleteCompany.Handler delete) : IImportTarget
{
    private static readonly ImportFieldInfo[] BuiltIn =
    [
        new("name", ["Name", "Company", "Company name", "Organization", "Organisation", "Account", "Account name", "公司", "公司名称", "企业名称", "名称", "单位"]),
        new("domain", ["Domain", "Website domain", "域名"]),
        new("website", ["Website", "Web", "URL", "Homepage", "网站", "官网", "网址"]),
        new("industry", ["Industry", "Sector", "行业"]),
        new("phone", ["Phone", "Telephone", "Tel", "电话", "公司电话", "联系电话"]),
        new("size", ["Size", "Employees", "Company size", "规模", "员工人数", "人数"]),
        new("annualRevenue.amount", ["Annual revenue", "Revenue", "年收入", "营业额", "年营业额"]),
        new("annualRevenue.currency", ["Currency", "Revenue currency", "币种", "货币"]),
        .. ContactImport.Shared,
    ];

    public string DefaultKey => "domain";

    public bool CreatesWaitForTheBatch => true;

    public async Task<IReadOnlyList<ImportFieldInfo>> FieldsAsync(RapportDbContext db, CancellationToken ct) =>
        [.. BuiltIn.Select(f => f with { Names = [f.Key, .. f.Names] }), .. ContactImport.CustomFieldsFor(await Kernel.CustomFields.CustomFieldSet.LoadAsync(db, Company.TypeName, ct))];

    public async Task<IReadOnlyList<string>> KeysAsync(RapportDbContext db, CancellationToken ct) =>
        ["domain", "name", .. (await Kernel.CustomFields.CustomFieldSet.LoadAsync(db, Company.TypeName, ct)).Fields.Where(f => f.Unique)
            .Select(f => Kernel.CustomFields.CustomFieldSet.Prefix + f.Key)];

    public IReadOnlyList<string> KeyFields(string key) => key == "domain" ? ["domain", "website"] : [key];

    public string? KeyOf(ImportScope scope, ImportRow row) => scope.Key switch
    {
        "domain" => CompanyFields.NormalizeDomain(row["domain"] ?? DomainOf(row["website"])),
        "name" => row["name"]?.ToLowerInvariant(),
        _ => CustomKeyLookup.KeyOf(scope.Custom, scope, row),
    };

    public async Task<IReadOnlyDictionary<string, Guid>> FindAsync(ImportScope scope, IReadOnlyCollection<string> keyValues, CancellationToken ct)
    {
        var wanted = keyValues.ToList();
        switch (scope.Key)
        {
            case "domain":
                return (await scope.Db.Set<Company>().Where(c => wanted.Contains(c.Domain!)).Select(c => new { c.Domain, c.Id }).ToListAsync(ct))
                    .GroupBy(c => c.Domain!).ToDictionary(g => g.Key, g => g.Min(c => c.Id));
            case "name":
#pragma warning disable CA1304, CA1311 // translated to SQL lower(), served by the index on (workspace_id, lower(name)); names are compared case-blind like the list filters do
                return (await scope.Db.Set<Company>().Where(c => wanted.Contains(c.Name.ToLower())).Select(c => new { c.Name, c.Id }).ToListAsync(ct))
#pragma warning restore CA1304, CA1311
                    .GroupBy(c => c.Name.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Min(c => c.Id));
            default:
                return wanted.Count == 0 ? new Dictionary<string, Guid>() : await CustomKeyLookup.FindAsync(scope.Custom, scope, wanted, ct);
        }
    }

    public async Task<ImportWrite> WriteAsync(ImportScope scope, Guid? id, ImportRow row, CancellationToken ct)
    {
        var (values, error) = ContactImport.CustomValuesOf(row, scope.Custom);
        decimal? revenue = null;
        if (row["annualRevenue.amount"] is { } amount)
        {
            if (!ImportValues.TryNumber(amount, out var parsed))
            {
                return ImportWrite.Refused($"annualRevenue: '{amount}' is not a number.");
            }

            revenue = parsed;
        }

        if (error is not null)
        {
            return ImportWrite.Refused(error);
        }

        var address = ContactImport.AddressParts.Any(p => row["address." + p] is not null)
            ? new CompanyAddress(row["address.street"], row["address.city"], row["address.region"], row["address.postalCode"], ImportValues.Country(row["address.country"]))
            : null;
        var sent = new CompanyFields(row["name"] ?? "", row["domain"] ?? DomainOf(row["website"]), row["industry"], row["phone"], row["website"], address,
            Size: row["size"], AnnualRevenue: revenue is { } r ? new CompanyRevenue(r, row["annualRevenue.currency"]?.ToUpperInvariant() ?? "") : null,
            LifecycleStage: row["lifecycleStage"]?.ToLowerInvariant(), Tags: ImportValues.List(row["tags"]) is { Count: > 0 } tags ? tags : null, Custom: values);
        if (id is null)
        {
            return await ImportWrites.CreateAsync(scope, await create.CheckAsync(sent, ct), ct, recordOnly: true);
        }

        string? before = null;
        var updated = await update.HandleAsync(id.Value, current =>
        {
            before = JsonSerializer.Serialize(current, JsonBody.Strict);
            return Outcome<CompanyFields>.Ok(current with
            {
                Name = sent.Name.Length > 0 ? sent.Name : current.Name,
                Domain = sent.Domain ?? current.Domain,
                Industry = sent.Industry ?? current.Industry,
                Phone = sent.Phone ?? current.Phone,
                Website = sent.Website ?? current.Website,
                Address = address is { } a ? new CompanyAddress(a.Street ?? current.Address?.Street, a.City ?? current.Address?.City, a.Region ?? current.Address?.Region,
                    a.PostalCode ?? current.Address?.PostalCode, a.Country ?? current.Address?.Country) : current.Address,
                Size = sent.Size ?? current.Size,
                AnnualRevenue = sent.AnnualRevenue ?? current.AnnualRevenue,
                LifecycleStage = sent.LifecycleStage ?? current.LifecycleStage,
                Tags = sent.Tags is { } t ? [.. (current.Tags ?? []).Concat(t).Distinct(StringComparer.OrdinalIgnoreCase)] : current.Tags,
                Custom = values is { } v ? (current.Custom ?? new Dictionary<string, JsonElement>()).Where(p => !v.ContainsKey(p.Key)).Concat(v).ToDictionary() : current.Custom,
            });
        }, IfMatch.Any, ct);
        return updated.IsOk ? new ImportWrite(updated.Value!.Id, updated.Value.Version, before, null) : ImportWrite.Refused(ImportOutcomes.Reason(updated));
    }

    public async Task<bool> UndoAsync(ImportScope scope, ImportRecord record, CancellationToken ct)
    {
        var version = new IfMatch(true, record.VersionAfter);
        if (record.Action == ImportActions.Created)
        {
            var deleted = await delete.HandleAsync(record.RecordId, version, ct);
            return deleted.IsOk || deleted.Kind == OutcomeKind.NotFound;
        }

        var restored = await update.HandleAsync(record.RecordId, JsonSerializer.Deserialize<CompanyFields>(record.Before!, JsonBody.Strict)!, version, ct);
        return restored.IsOk || restored.Kind == OutcomeKind.NotFound;
    }

    private static string? DomainOf(string? website) =>
        website is null ? null : Uri.TryCreate(website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website, UriKind.Absolute, out var uri)
            ? uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host
            : null;
}
