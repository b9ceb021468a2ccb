using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Transfer;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Imports;

/// <summary>
/// Contacts from a file: cells become <see cref="ContactFields"/> and go through <see cref="CreateContact"/> or
/// <see cref="UpdateContact"/> (an update changes only the columns the row fills). A row's company is found by domain
/// or name, or created. Keys: email, phone, or a unique custom field.
/// </summary>
public sealed class ContactImport(CreateContact.Handler create, UpdateContact.Handler update, DeleteContact.Handler delete, CreateCompany.Handler createCompany)
    : IImportTarget
{
    public const string FullName = "name";
    public const string Company = "company";

    /// <summary>Fields contacts and companies both have, and the names a header may give them.</summary>
    internal static readonly ImportFieldInfo[] Shared =
    [
        new("lifecycleStage", ["Lifecycle stage", "Stage", "阶段", "生命周期阶段"]),
        new("tags", ["Tags", "Labels", "Categories", "标签", "分类"]),
        new("address.street", ["Street", "Address", "Street address", "地址", "街道", "详细地址"]),
        new("address.city", ["City", "Town", "城市", "市"]),
        new("address.region", ["Region", "State", "Province", "County", "省份", "省", "地区", "州"]),
        new("address.postalCode", ["Postal code", "Postcode", "ZIP", "Zip code", "邮编", "邮政编码"]),
        new("address.country", ["Country", "Country code", "国家", "国家代码"]),
    ];

    private static readonly ImportFieldInfo[] BuiltIn =
    [
        new("firstName", ["First name", "Given name", "Forename", "名", "名字"]),
        new("lastName", ["Last name", "Family name", "Surname", "姓", "姓氏"]),
        new(FullName, ["Name", "Full name", "Contact", "Contact name", "姓名", "联系人", "联系人姓名"]),
        new("emails", ["Email", "E-mail", "Email address", "Mail", "Emails", "邮箱", "电子邮件", "电子邮箱", "邮件地址", "邮件"]),
        new("phones", ["Phone", "Mobile", "Telephone", "Tel", "Cell", "Phone number", "Mobile phone", "Phones", "电话", "手机", "手机号", "手机号码", "联系电话", "电话号码"]),
        new("jobTitle", ["Job title", "Title", "Position", "Role", "职位", "职务", "头衔"]),
        new(Company, ["Company", "Organization", "Organisation", "Account", "Company name", "Employer", "公司", "单位", "公司名称", "企业"]),
        new("birthday", ["Birthday", "Date of birth", "Birth date", "DOB", "生日", "出生日期"]),
        new("source", ["Source", "Lead source", "来源", "线索来源"]),
        new("preferredLanguage", ["Language", "Preferred language", "语言", "首选语言"]),
        .. Shared,
    ];

    internal static readonly string[] AddressParts = ["street", "city", "region", "postalCode", "country"];

    public string DefaultKey => "email";

    public bool CreatesWaitForTheBatch => true;

    public async Task<IReadOnlyList<ImportFieldInfo>> FieldsAsync(RapportDbContext db, CancellationToken ct) =>
        [.. BuiltIn.Select(f => f with { Names = [f.Key, .. f.Names] }), .. CustomFieldsFor(await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct))];

    public async Task<IReadOnlyList<string>> KeysAsync(RapportDbContext db, CancellationToken ct) =>
        ["email", "phone", .. (await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct)).Fields.Where(f => f.Unique).Select(f => CustomFieldSet.Prefix + f.Key)];

    internal static IEnumerable<ImportFieldInfo> CustomFieldsFor(CustomFieldSet custom) =>
        custom.Fields.Select(f => new ImportFieldInfo(CustomFieldSet.Prefix + f.Key, [CustomFieldSet.Prefix + f.Key, f.Key, f.Label, .. f.LabelZh is { } zh ? [zh] : Array.Empty<string>()]));

    public IReadOnlyList<string> KeyFields(string key) => key switch { "email" => ["emails"], "phone" => ["phones"], _ => [key] };

    public string? KeyOf(ImportScope scope, ImportRow row) => scope.Key switch
    {
        "email" => ImportValues.List(row["emails"]) is [var first, ..] ? first.ToLowerInvariant() : null,
        "phone" => ImportValues.List(row["phones"]).Select(p => ContactPhones.Normalize([p], scope.DefaultCountry).Phones.FirstOrDefault().E164).FirstOrDefault(p => p is not null),
        _ => CustomKeyLookup.KeyOf(scope.Custom, scope, row),
    };

    public async Task<IReadOnlyDictionary<string, Guid>> FindAsync(ImportScope scope, IReadOnlyCollection<string> keyValues, CancellationToken ct)
    {
        if (keyValues.Count == 0)
        {
            return new Dictionary<string, Guid>();
        }

        if (scope.Key is "email" or "phone")
        {
            var prefix = scope.Key == "email" ? ContactDuplicateKey.Email : ContactDuplicateKey.Phone;
            var wanted = keyValues.Select(k => prefix + k).ToList();
            var found = await scope.Db.Set<ContactDuplicateKey>().Where(k => wanted.Contains(k.Key)).Select(k => new { k.Key, k.ContactId }).ToListAsync(ct);
            return found.GroupBy(k => k.Key[prefix.Length..]).ToDictionary(g => g.Key, g => g.Min(k => k.ContactId));
        }

        return await CustomKeyLookup.FindAsync(scope.Custom, scope, keyValues, ct);
    }

    public async Task<ImportWrite> WriteAsync(ImportScope scope, Guid? id, ImportRow row, CancellationToken ct)
    {
        var (sent, error) = Read(row, scope.Custom);
        if (error is not null)
        {
            return ImportWrite.Refused(error);
        }

        if (row[Company] is { } companyCell)
        {
            var (companyId, companyError) = await CompanyOfAsync(scope, companyCell, ct);
            if (companyError is not null)
            {
                return ImportWrite.Refused(companyError);
            }

            sent = sent with { CompanyId = companyId };
        }

        if (id is null)
        {
            return await ImportWrites.CreateAsync(scope, await create.CheckAsync(sent, allowDuplicate: true, ct), ct, recordOnly: true);
        }

        string? before = null;
        var updated = await update.HandleAsync(id.Value, current =>
        {
            before = JsonSerializer.Serialize(current, JsonBody.Strict);
            return Outcome<ContactFields>.Ok(Merge(current, sent, row));
        }, IfMatch.Any, ct);
        return updated.IsOk ? new ImportWrite(updated.Value!.Id, updated.Value.Version, before, null) : ImportWrite.Refused(ImportOutcomes.Reason(updated));
    }

    public async Task<bool> UndoAsync(ImportScope scope, ImportRecord record, CancellationToken ct)
    {
        var version = new IfMatch(true, record.VersionAfter);
        if (record.Action == ImportActions.Created)
        {
            var deleted = await delete.HandleAsync(record.RecordId, version, false, ct);
            return deleted.IsOk || deleted.Kind == OutcomeKind.NotFound;
        }

        var before = JsonSerializer.Deserialize<ContactFields>(record.Before!, JsonBody.Strict)!;
        var restored = await update.HandleAsync(record.RecordId, before, version, ct, allowDuplicate: true);
        return restored.IsOk || restored.Kind == OutcomeKind.NotFound;
    }

    /// <summary>The row's cells as contact fields; a cell that cannot be read refuses the row.</summary>
    private static (ContactFields Fields, string? Error) Read(ImportRow row, CustomFieldSet custom)
    {
        var (first, last) = (row["firstName"], row["lastName"]);
        if (first is null && last is null && row[FullName] is { } full)
        {
            (first, last) = NameParts.Split(full);
        }

        DateOnly? birthday = null;
        if (row["birthday"] is { } day)
        {
            if (!ImportValues.TryDate(day, out var parsed))
            {
                return (new ContactFields(), $"birthday: '{day}' is not a date.");
            }

            birthday = parsed;
        }

        var (values, error) = CustomValuesOf(row, custom);
        var address = AddressParts.Any(p => row["address." + p] is not null)
            ? new CompanyAddress(row["address.street"], row["address.city"], row["address.region"], row["address.postalCode"], ImportValues.Country(row["address.country"]))
            : null;
        return (new ContactFields(first, last, Emails: NullIfEmpty(ImportValues.List(row["emails"])), Phones: NullIfEmpty(ImportValues.List(row["phones"])),
            JobTitle: row["jobTitle"], Birthday: birthday, LifecycleStage: row["lifecycleStage"]?.ToLowerInvariant(), Source: row["source"],
            PreferredLanguage: row["preferredLanguage"], Tags: NullIfEmpty(ImportValues.List(row["tags"])), Custom: values, Address: address), error);
    }

    internal static (Dictionary<string, JsonElement>? Values, string? Error) CustomValuesOf(ImportRow row, CustomFieldSet custom)
    {
        Dictionary<string, JsonElement>? values = null;
        foreach (var field in custom.Fields)
        {
            if (row[CustomFieldSet.Prefix + field.Key] is not { } text)
            {
                continue;
            }

            var (value, error) = ImportValues.Custom(field, text);
            if (error is not null)
            {
                return (null, error);
            }

            (values ??= [])[field.Key] = value;
        }

        return (values, null);
    }

    /// <summary>An update changes what the row fills and keeps the rest (a blank cell never clears a field).</summary>
    private static ContactFields Merge(ContactFields current, ContactFields sent, ImportRow row) => current with
    {
        FirstName = sent.FirstName ?? current.FirstName,
        LastName = sent.LastName ?? current.LastName,
        Emails = sent.Emails is { } emails ? [.. emails.Concat(current.Emails ?? []).Distinct(StringComparer.OrdinalIgnoreCase)] : current.Emails,
        Phones = sent.Phones is { } phones ? [.. phones.Concat(current.Phones ?? []).Distinct()] : current.Phones,
        JobTitle = sent.JobTitle ?? current.JobTitle,
        Birthday = sent.Birthday ?? current.Birthday,
        CompanyId = sent.CompanyId ?? current.CompanyId,
        CompanyIds = sent.CompanyId is { } company ? [.. (current.CompanyIds ?? []).Append(company).Distinct()] : current.CompanyIds,
        LifecycleStage = sent.LifecycleStage ?? current.LifecycleStage,
        Source = sent.Source ?? current.Source,
        PreferredLanguage = sent.PreferredLanguage ?? current.PreferredLanguage,
        Tags = sent.Tags is { } tags ? [.. (current.Tags ?? []).Concat(tags).Distinct(StringComparer.OrdinalIgnoreCase)] : current.Tags,
        Address = sent.Address is { } a ? new CompanyAddress(a.Street ?? current.Address?.Street, a.City ?? current.Address?.City, a.Region ?? current.Address?.Region,
            a.PostalCode ?? current.Address?.PostalCode, a.Country ?? current.Address?.Country) : current.Address,
        Custom = sent.Custom is { } custom ? (current.Custom ?? new Dictionary<string, JsonElement>()).Where(p => !custom.ContainsKey(p.Key)).Concat(custom).ToDictionary() : current.Custom,
    };

    /// <summary>The companies the batch's rows name, looked up in two queries (by domain, by name) rather than row by row.</summary>
    public async Task PrepareAsync(ImportScope scope, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var wanted = rows.Select(r => r[Company]).OfType<string>().Select(CompanyRef.Of).Where(c => !scope.Cache.ContainsKey(c.CacheKey)).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var domains = wanted.Where(c => c.Domain is not null).Select(c => c.Domain!).ToList();
        var names = wanted.Where(c => c.Domain is null).Select(c => c.Lowered).ToList();
        var byDomain = domains.Count == 0 ? [] : await scope.Db.Set<Company>().Where(c => domains.Contains(c.Domain!)).Select(c => new { Key = c.Domain!, c.Id }).ToListAsync(ct);
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), as the list filters do; the index on (workspace_id, lower(name)) serves it
        var byName = names.Count == 0 ? [] : await scope.Db.Set<Company>().Where(c => names.Contains(c.Name.ToLower())).Select(c => new { Key = c.Name.ToLower(), c.Id }).ToListAsync(ct);
#pragma warning restore CA1304, CA1311, CA1862
        var found = byDomain.Select(c => (CompanyRef.DomainKey(c.Key), c.Id)).Concat(byName.Select(c => (CompanyRef.NameKey(c.Key), c.Id)))
            .GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => g.Min(c => c.Id));
        foreach (var company in wanted)
        {
            // Guid.Empty: looked up and not there (the first row naming it creates it).
            scope.Cache[company.CacheKey] = found.GetValueOrDefault(company.CacheKey);
        }
    }

    /// <summary>The company a cell names: by domain when it looks like one, else by name (case aside); created when there is none.</summary>
    private async Task<(Guid? Id, string? Error)> CompanyOfAsync(ImportScope scope, string cell, CancellationToken ct)
    {
        var company = CompanyRef.Of(cell);
        if (!scope.Cache.TryGetValue(company.CacheKey, out var id))
        {
            id = company.Domain is { } domain
                ? await scope.Db.Set<Company>().Where(c => c.Domain == domain).OrderBy(c => c.Id).Select(c => c.Id).FirstOrDefaultAsync(ct)
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), as the list filters do
                : await scope.Db.Set<Company>().Where(c => c.Name.ToLower() == company.Lowered).OrderBy(c => c.Id).Select(c => c.Id).FirstOrDefaultAsync(ct);
#pragma warning restore CA1304, CA1311, CA1862
        }

        if (id == Guid.Empty)
        {
            var created = await ImportWrites.CreateAsync(scope,
                await createCompany.CheckAsync(company.Domain is { } domain ? new CompanyFields(domain, Domain: domain) : new CompanyFields(cell), ct), ct, recordOnly: true);
            if (created.Error is not null)
            {
                return (null, "company: " + created.Error);
            }

            id = created.Id;
            scope.Created[company.CacheKey] = id;
        }

        scope.Cache[company.CacheKey] = id;
        scope.Db.Know<Company>(id);
        return (id, null);
    }

    /// <summary>What a company cell names: a domain when it looks like one, else a name compared case aside.</summary>
    private sealed record CompanyRef(string? Domain, string Lowered)
    {
        public string CacheKey => Domain is { } domain ? DomainKey(domain) : NameKey(Lowered);

        public static string DomainKey(string domain) => "company-domain:" + domain;
        public static string NameKey(string lowered) => "company-name:" + lowered;

        public static CompanyRef Of(string cell)
        {
            var domain = CompanyFields.NormalizeDomain(cell);
            var looksLikeDomain = domain is not null && domain.Contains('.', StringComparison.Ordinal) && !domain.Contains(' ', StringComparison.Ordinal);
            return new CompanyRef(looksLikeDomain ? domain : null, cell.ToLowerInvariant());
        }
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> items) => items.Count == 0 ? null : [.. items];
}
