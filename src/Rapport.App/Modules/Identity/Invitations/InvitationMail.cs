using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Invitations;

/// <summary>The invitation email, in the workspace's first language (English or 简体中文).</summary>
public static class InvitationMail
{
    /// <summary>Queues the mail when a mail server is configured; the link stays in the API answer either way.</summary>
    public static async Task<bool> SendAsync(RapportDbContext db, IMailSender mail, Invitation invitation, string link, CancellationToken ct)
    {
        if (!mail.IsConfigured)
        {
            return false;
        }

        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == invitation.WorkspaceId)
            .Select(w => new { w.Name, w.Languages }).SingleAsync(ct);
        var inviter = await db.Set<User>().AsNoTracking().Where(u => u.Id == invitation.InvitedBy).Select(u => u.DisplayName).SingleAsync(ct);
        mail.Enqueue(db, Compose(workspace.Languages.FirstOrDefault() ?? "en", invitation.Email, workspace.Name, inviter, link, invitation.ExpiresAt));
        return true;
    }

    public static OutgoingMail Compose(string language, string to, string workspaceName, string inviterName, string link, DateTimeOffset expiresAt)
    {
        var workspace = OneLine(workspaceName);
        var inviter = OneLine(inviterName);
        var expires = expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return language == "zh-Hans"
            ? new OutgoingMail("invitation", to, $"{inviter} 邀请您加入 Rapport 工作区“{workspace}”",
                $"""
                 您好！

                 {inviter} 邀请您加入 Rapport 工作区“{workspace}”。

                 接受邀请：
                 {link}

                 此链接只能使用一次，将于 {expires}（UTC）失效。如果您没有预期收到此邀请，请忽略本邮件。
                 """)
            : new OutgoingMail("invitation", to, $"{inviter} invited you to {workspace} on Rapport",
                $"""
                 Hello,

                 {inviter} invited you to join the workspace "{workspace}" on Rapport.

                 Accept the invitation:
                 {link}

                 The link works once and expires on {expires} UTC. If you did not expect this invitation, ignore this message.
                 """);
    }

    internal static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
