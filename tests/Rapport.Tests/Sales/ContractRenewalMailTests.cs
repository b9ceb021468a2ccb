using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Modules.Sales.SalesContracts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>When a contract's renewal reminder falls due, its owner gets one mail with a link to it (through the SMTP sink).</summary>
public sealed class ContractRenewalMailTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<MimeKit.MimeMessage> Reminders(string to) =>
        [.. TestMail.Find(to).Where(m => m.Subject?.StartsWith("Renewal reminder", StringComparison.Ordinal) == true)];

    private static async Task<MimeKit.MimeMessage> ReminderAsync(string to)
    {
        for (var i = 0; i < 100; i++)
        {
            if (Reminders(to) is [var first, ..])
            {
                return first;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"No renewal reminder reached {to}.");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_owner_is_mailed_once_when_the_renewal_reminder_falls_due(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync("Renewals Ltd");
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (deal, _, _) = await rep.Client.CreateDealAsync(new { name = "Yearly support", amount = 1200, currency = "EUR" });
        var created = await rep.Client.PostJsonAsync("/api/v1/contracts", new
        {
            dealId = deal, name = "Support 2027", startDate = Day(today.AddDays(-360)), endDate = Day(today.AddDays(5)), reminderDays = 30, value = 1200m,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contract = (await created.JsonAsync())["id"]!.GetValue<string>();

        // The admin's contract on a deal in the trash would fall due too, but follows its deal: no reminder, no mail.
        var (trashed, etag, _) = await admin.Client.CreateDealAsync(new { name = "Dropped", amount = 10, currency = "EUR" });
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contracts", new
        {
            dealId = trashed, name = "Dropped contract", startDate = Day(today.AddDays(-30)), endDate = Day(today.AddDays(3)), reminderDays = 10,
        })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/deals/{trashed}", etag)).StatusCode);

        var job = factory.Services.GetRequiredService<SalesDocumentsDaily>();
        await job.RunOnceAsync(Ct);
        await job.RunOnceAsync(Ct);

        var message = await ReminderAsync(rep.Email); // the rep also got their invitation
        Assert.Equal($"Renewal reminder: Support 2027 ends on {Day(today.AddDays(5))}", message.Subject);
        Assert.Contains($"{RapportFactory.PublicBaseUrl}/contracts/{contract}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("1,200.00 EUR", message.TextBody, StringComparison.Ordinal);
        await Task.Delay(1500, Ct); // time for a second mail, were one queued
        await job.RunOnceAsync(Ct);
        await Task.Delay(1500, Ct);
        Assert.Single(Reminders(rep.Email));
        Assert.Empty(Reminders(admin.Email));
        Assert.True((await rep.Client.GetJsonAsync($"/api/v1/contracts/{contract}"))["reminderDue"]!.GetValue<bool>());

        // Restored, the deal's contract catches up on the next run.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync($"/api/v1/deals/{trashed}/restore", null, Ct)).StatusCode);
        await job.RunOnceAsync(Ct);
        Assert.Equal("Renewal reminder: Dropped contract ends on " + Day(today.AddDays(3)), (await ReminderAsync(admin.Email)).Subject);
    }
}
