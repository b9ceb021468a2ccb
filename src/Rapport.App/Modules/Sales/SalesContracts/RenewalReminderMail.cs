using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Modules.Identity.Contracts;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>
/// The mail to a contract's owner when its renewal reminder falls due, in the workspace's first language (English or 简体中文),
/// with a link to the contract. Queued in the outbox of the change that marks the reminder due, so it goes out once.
/// </summary>
public static class RenewalReminderMail
{
    /// <summary>Queues one mail per contract whose owner is a member with an address.</summary>
    public static async Task QueueAsync(RapportDbContext db, IMailSender mail, IMemberDirectory members, IConfiguration configuration,
        IReadOnlyList<Contract> contracts, CancellationToken ct)
    {
        if (!mail.IsConfigured || contracts.Count == 0)
        {
            return;
        }

        var emails = await members.EmailsAsync([.. contracts.Select(c => c.OwnerId).OfType<Guid>().Distinct()], ct);
        var language = (await db.Workspaces.AsNoTracking().Where(w => w.Id == db.WorkspaceId).Select(w => w.Languages).SingleAsync(ct)).FirstOrDefault() ?? "en";
        foreach (var contract in contracts)
        {
            if (contract.OwnerId is { } owner && emails.TryGetValue(owner, out var to))
            {
                mail.Enqueue(db, Compose(language, to, contract, PublicLinks.To(configuration, $"/contracts/{contract.Id}")));
            }
        }
    }

    public static OutgoingMail Compose(string language, string to, Contract contract, string link)
    {
        var name = string.Join(' ', contract.Name.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var end = contract.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var value = $"{contract.Value.ToString("N" + Kernel.Currencies.MinorUnits(contract.Currency), CultureInfo.InvariantCulture)} {contract.Currency}";
        return language == "zh-Hans"
            ? new OutgoingMail("contract-renewal", to, $"续约提醒：合同“{name}”将于 {end} 到期",
                $"""
                 您好！

                 您负责的合同“{name}”（金额 {value}）将于 {end} 到期。{(contract.AutoRenew ? "该合同将自动续约。" : "该合同不会自动续约，请及时联系客户。")}

                 查看合同：
                 {link}
                 """)
            : new OutgoingMail("contract-renewal", to, $"Renewal reminder: {name} ends on {end}",
                $"""
                 Hello,

                 The contract "{name}" you own ({value}) ends on {end}. {(contract.AutoRenew ? "It renews automatically." : "It does not renew by itself: time to talk to the customer.")}

                 Open the contract:
                 {link}
                 """);
    }
}
