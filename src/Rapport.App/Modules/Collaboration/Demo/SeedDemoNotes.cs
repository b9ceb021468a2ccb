using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Demo;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Files;
using Rapport.Modules.Collaboration.Notes;

namespace Rapport.Modules.Collaboration.Demo;

/// <summary>Demo notes in English and Chinese (some mentioning a colleague) and a few small files on demo companies and contacts, through the same handlers as the API.</summary>
public sealed class SeedDemoNotes : IDemoSeeder
{
    private static readonly string[] CompanyNotes =
    [
        "<p><b>Kick-off call</b> went well. They want a pilot for <i>two warehouses</i> before Q3.</p><ul><li>Send the pricing sheet</li><li>Book a site visit</li></ul>",
        "<p>与采购部开会，确认明年预算增加 <b>15%</b>。下一步：</p><ol><li>准备报价</li><li>安排技术演示</li></ol>",
        "<p>Renewal is due in March. Procurement asked for a <a href=\"https://example.com/terms\">copy of the terms</a>.</p>",
        "<p>客户反馈交付周期太长，希望缩短到两周以内。</p>",
    ];

    private static readonly string[] ContactNotes =
    [
        "<p>Prefers email over phone; best reached before 10 am.</p>",
        "<p>电话沟通：对新产品线很感兴趣，下周发送资料。</p>",
        "<p>Met at the trade fair in Hannover. Decision maker for <b>IT purchases</b>.</p>",
        "<p>生日快到了，记得寄贺卡。</p>",
    ];

    public int Order => 20;

    public async Task SeedAsync(IServiceProvider services, DemoWorkspace demo, CancellationToken ct)
    {
        var operations = services.GetRequiredService<Operations>();
        var store = services.GetRequiredService<FileStore>();
        var admin = ViewAs.Member(demo.AdminId, demo.WorkspaceId);
        var companies = await FirstAsync(operations, admin, "company", 4, ct);
        var contacts = await FirstAsync(operations, admin, "contact", 4, ct);
        var colleague = demo.Owners.FirstOrDefault(o => o != demo.AdminId);

        for (var i = 0; i < companies.Count; i++)
        {
            var mentions = i == 0 && colleague != Guid.Empty ? new[] { colleague } : [];
            await WriteAsync(operations, admin, new NoteFields(CompanyNotes[i % CompanyNotes.Length], [companies[i]], mentions), ct);
        }

        for (var i = 0; i < contacts.Count; i++)
        {
            await WriteAsync(operations, admin, new NoteFields(ContactNotes[i % ContactNotes.Length], [contacts[i]]), ct);
        }

        if (companies.Count > 0)
        {
            await AttachAsync(operations, store, admin, "price-list.csv", Encoding.UTF8.GetBytes(PriceList), [companies[0]], ct);
            await AttachAsync(operations, store, admin, "meeting-minutes.pdf", MinutesPdf(), [companies[0], .. contacts.Take(1)], ct);
        }

        if (contacts.Count > 1)
        {
            await AttachAsync(operations, store, admin, "拜访记录.txt", Encoding.UTF8.GetBytes("拜访记录\n日期：三月五日\n内容：介绍新产品，客户反应积极。\n"), [contacts[1]], ct);
        }
    }

    private static async Task<List<RecordRef>> FirstAsync(Operations operations, System.Security.Claims.ClaimsPrincipal admin, string entityType, int count, CancellationToken ct) =>
        await operations.RunAsync<RecordDirectory, List<RecordRef>>(admin, async directory =>
            directory.Find(entityType) is { } type
                ? [.. (await (await type.ReachableAsync(AccessAction.Read, ct)).OrderBy(id => id).Take(count).ToListAsync(ct)).Select(id => new RecordRef(entityType, id))]
                : []);

    private static async Task WriteAsync(Operations operations, System.Security.Claims.ClaimsPrincipal admin, NoteFields note, CancellationToken ct)
    {
        var written = await operations.RunAsync<CreateNote.Handler, Outcome<NoteDto>>(admin, h => h.HandleAsync(note, ct));
        if (!written.IsOk)
        {
            throw new InvalidOperationException($"Demo note refused: {written.Kind}");
        }
    }

    private static async Task AttachAsync(
        Operations operations, FileStore store, System.Security.Claims.ClaimsPrincipal admin, string name, byte[] content, IReadOnlyList<RecordRef?> links, CancellationToken ct)
    {
        using var received = await store.ReceiveAsync(new MemoryStream(content), name, ct);
        var uploaded = await operations.RunAsync<UploadFile.Handler, Outcome<FileDto>>(admin, h => h.HandleAsync(received, links, ct));
        if (!uploaded.IsOk)
        {
            throw new InvalidOperationException($"Demo file refused: {string.Join("; ", uploaded.Errors.SelectMany(e => e.Value))}");
        }
    }

    private const string PriceList = "product,unit,price_eur\nPallet racking,metre,120.00\nConveyor belt,metre,340.00\nHandheld scanner,piece,499.00\n";

    /// <summary>A one-page PDF saying "Meeting minutes", with the byte offsets its cross-reference table needs.</summary>
    private static byte[] MinutesPdf()
    {
        const string text = "BT /F1 18 Tf 72 720 Td (Meeting minutes - pilot planning) Tj 0 -28 Td /F1 12 Tf (Agreed: two warehouses, start in May.) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {text.Length} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:0000000000} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
