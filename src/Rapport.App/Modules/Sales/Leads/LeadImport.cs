using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Transfer;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// Leads from a file: cells become <see cref="LeadFields"/> and go through <see cref="CreateLead"/> or <see cref="UpdateLead"/>
/// (an update changes only the columns the row fills), so rights, field rights, validation, scoring and the assignment rules
/// apply as for the API. Each create is saved on its own: the assignment rules count the open leads already saved (round-robin, caps).
/// Keys: email, phone, or a unique custom field.
/// </summary>
public sealed class LeadImport(CreateLead.Handler create, UpdateLead.Handler update, DeleteLead.Handler delete) : IImportTarget
{
    public const string FullName = "name";

    private static readonly ImportFieldInfo[] BuiltIn =
    [
        new("firstName", ["First name", "Given name", "Forename", "名", "名字"]),
        new("lastName", ["Last name", "Family name", "Surname", "姓", "姓氏"]),
        new(FullName, ["Name", "Full name", "Lead", "Lead name", "Contact", "Contact name", "姓名", "线索", "线索名称", "联系人", "联系人姓名"]),
        new("companyName", ["Company", "Company name", "Organization", "Organisation", "Account", "公司", "公司名称", "单位", "企业"]),
        new("emails", ["Email", "E-mail", "Email address", "Mail", "Emails", "邮箱", "电子邮件", "电子邮箱", "邮件地址", "邮件"]),
        new("phones", ["Phone", "Mobile", "Telephone", "Tel", "Cell", "Phone number", "Mobile phone", "Phones", "电话", "手机", "手机号", "手机号码", "联系电话", "电话号码"]),
        new("jobTitle", ["Job title", "Title", "Position", "Role", "职位", "职务", "头衔"]),
        new("website", ["Website", "Web site", "URL", "Homepage", "网站", "网址", "主页"]),
        new("source", ["Source", "Lead source", "来源", "线索来源"]),
        new("status", ["Status", "Lead status", "状态", "线索状态"]),
        new("rating", ["Rating", "Temperature", "评级", "等级"]),
        new("industry", ["Industry", "Sector", "行业", "所属行业"]),
        new("size", ["Size", "Company size", "Employees", "Headcount", "规模", "公司规模", "员工人数"]),
        new("country", ["Country", "Country code", "国家", "国家代码"]),
        new("territory", ["Territory", "Region", "Area", "区域", "销售区域", "地区"]),
        new("description", ["Description", "Notes", "Note", "Comments", "描述", "备注", "说明"]),
    ];

    public string DefaultKey => "email";

    public async Task<IReadOnlyList<ImportFieldInfo>> FieldsAsync(RapportDbContext db, CancellationToken ct) =>
    [
        .. BuiltIn.Select(f => f with { Names = [f.Key, .. f.Names] }),
        .. (await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct)).Fields.Select(f => new ImportFieldInfo(CustomFieldSet.Prefix + f.Key,
            [CustomFieldSet.Prefix + f.Key, f.Key, f.Label, .. f.LabelZh is { } zh ? [zh] : Array.Empty<string>()])),
    ];

    public async Task<IReadOnlyList<string>> KeysAsync(RapportDbContext db, CancellationToken ct) =>
        ["email", "phone", .. (await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct)).Fields.Where(f => f.Unique).Select(f => CustomFieldSet.Prefix + f.Key)];

    public IReadOnlyList<string> KeyFields(string key) => key switch { "email" => ["emails"], "phone" => ["phones"], _ => [key] };

    public string? KeyOf(ImportScope scope, ImportRow row) => scope.Key switch
    {
        "email" => ImportValues.List(row["emails"]) is [var first, ..] ? first.ToLowerInvariant() : null,
        "phone" => ImportValues.List(row["phones"]).Select(p => LeadRules.E164(p, scope.DefaultCountry)).FirstOrDefault(p => p is not null),
        _ => CustomKeyLookup.KeyOf(scope.Custom, scope, row),
    };

    /// <summary>Leads holding any of the emails or phones (stored lower-cased and in E.164, as the keys are read); the oldest wins.</summary>
    public async Task<IReadOnlyDictionary<string, Guid>> FindAsync(ImportScope scope, IReadOnlyCollection<string> keyValues, CancellationToken ct)
    {
        if (keyValues.Count == 0)
        {
            return new Dictionary<string, Guid>();
        }

        if (scope.Key is not ("email" or "phone"))
        {
            return await CustomKeyLookup.FindAsync(scope.Custom, scope, keyValues, ct);
        }

        var wanted = keyValues.ToList();
        var leads = scope.Key == "email"
            ? await scope.Db.Set<Lead>().Where(l => l.Emails.Any(e => wanted.Contains(e))).Select(l => new { l.Id, Values = l.Emails }).ToListAsync(ct)
            : await scope.Db.Set<Lead>().Where(l => l.Phones.Any(p => wanted.Contains(p))).Select(l => new { l.Id, Values = l.Phones }).ToListAsync(ct);
        return leads.SelectMany(l => l.Values.Where(wanted.Contains).Select(v => (Value: v, l.Id)))
            .GroupBy(v => v.Value).ToDictionary(g => g.Key, g => g.Min(v => v.Id));
    }

    public async Task<ImportWrite> WriteAsync(ImportScope scope, Guid? id, ImportRow row, CancellationToken ct)
    {
        var (sent, error) = Read(row, scope.Custom);
        if (error is not null)
        {
            return ImportWrite.Refused(error);
        }

        if (id is null)
        {
            var created = await create.HandleAsync(sent, ct);
            return created.IsOk ? new ImportWrite(created.Value!.Id, created.Value.Version, null, null) : ImportWrite.Refused(ImportOutcomes.Reason(created));
        }

        string? before = null;
        var updated = await update.HandleAsync(id.Value, current =>
        {
            before = JsonSerializer.Serialize(current, JsonBody.Strict);
            return Outcome<LeadFields>.Ok(Merge(current, sent));
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

        var before = JsonSerializer.Deserialize<LeadFields>(record.Before!, JsonBody.Strict)!;
        var restored = await update.HandleAsync(record.RecordId, before, version, ct);
        return restored.IsOk || restored.Kind == OutcomeKind.NotFound;
    }

    /// <summary>The row's cells as lead fields (pick-list values compared in lower case); a custom cell that cannot be read refuses the row.</summary>
    private static (LeadFields Fields, string? Error) Read(ImportRow row, CustomFieldSet custom)
    {
        var (first, last) = (row["firstName"], row["lastName"]);
        if (first is null && last is null && row[FullName] is { } full)
        {
            (first, last) = NameParts.Split(full);
        }

        Dictionary<string, JsonElement>? values = null;
        foreach (var field in custom.Fields)
        {
            if (row[CustomFieldSet.Prefix + field.Key] is not { } text)
            {
                continue;
            }

            var (value, customError) = ImportValues.Custom(field, text);
            if (customError is not null)
            {
                return (new LeadFields(), customError);
            }

            (values ??= [])[field.Key] = value;
        }

        return (new LeadFields(first, last, row["companyName"], NullIfEmpty(ImportValues.List(row["emails"])), NullIfEmpty(ImportValues.List(row["phones"])),
            row["jobTitle"], row["website"], row["source"]?.ToLowerInvariant(), row["status"]?.ToLowerInvariant(), row["rating"]?.ToLowerInvariant(),
            row["industry"], row["size"], ImportValues.Country(row["country"]), row["territory"], row["description"], Custom: values), null);
    }

    /// <summary>An update changes what the row fills and keeps the rest (a blank cell never clears a field).</summary>
    private static LeadFields Merge(LeadFields current, LeadFields sent) => current with
    {
        FirstName = sent.FirstName ?? current.FirstName,
        LastName = sent.LastName ?? current.LastName,
        CompanyName = sent.CompanyName ?? current.CompanyName,
        Emails = sent.Emails is { } emails ? [.. emails.Concat(current.Emails ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Take(Lead.MaxEmails)] : current.Emails,
        Phones = sent.Phones is { } phones ? [.. phones.Concat(current.Phones ?? []).Distinct().Take(Lead.MaxPhones)] : current.Phones,
        JobTitle = sent.JobTitle ?? current.JobTitle,
        Website = sent.Website ?? current.Website,
        Source = sent.Source ?? current.Source,
        Status = sent.Status ?? current.Status,
        Rating = sent.Rating ?? current.Rating,
        Industry = sent.Industry ?? current.Industry,
        Size = sent.Size ?? current.Size,
        Country = sent.Country ?? current.Country,
        Territory = sent.Territory ?? current.Territory,
        Description = sent.Description ?? current.Description,
        Custom = sent.Custom is { } custom ? (current.Custom ?? new Dictionary<string, JsonElement>()).Where(p => !custom.ContainsKey(p.Key)).Concat(custom).ToDictionary() : current.Custom,
    };

    private static List<string>? NullIfEmpty(IReadOnlyList<string> items) => items.Count == 0 ? null : [.. items];
}
