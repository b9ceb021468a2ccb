using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Workspaces;

/// <summary>A tenant: one company's CRM. Every business row carries its id.</summary>
[EntityName("workspace")]
public sealed class Workspace : IWorkspaceConfiguration
{
    public const int NameMaxLength = 120;
    public const int TimeZoneMaxLength = 64;
    public const int AddressMaxLength = 500;
    /// <summary>Largest logo image accepted (PNG or JPEG), shown on printed quotes.</summary>
    public const int LogoMaxBytes = 256 * 1024;
    public static readonly IReadOnlyList<string> SupportedLanguages = ["en", "zh-Hans"];

    private Workspace() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public string Name { get; private set; } = "";
    /// <summary>IANA time zone id; "this quarter" and business dates are read in it.</summary>
    public string TimeZone { get; private set; } = "UTC";
    /// <summary>Month (1–12) the fiscal year starts in.</summary>
    public int FiscalYearStartMonth { get; private set; } = 1;
    /// <summary>ISO 4217 code.</summary>
    public string BaseCurrency { get; private set; } = "USD";
    /// <summary>ISO 3166-1 alpha-2 code, used to read phone numbers without a country code.</summary>
    public string DefaultCountry { get; private set; } = "US";
    /// <summary>UI languages offered in this workspace, the first being the default.</summary>
    public List<string> Languages { get; private set; } = ["en"];
    /// <summary>Members must sign in with a second factor (TOTP); those without one are sent to set it up.</summary>
    public bool RequireTwoFactor { get; private set; }
    /// <summary>The postal address printed on quotes (several lines).</summary>
    public string? Address { get; private set; }
    /// <summary>The logo printed on quotes (PNG or JPEG, at most <see cref="LogoMaxBytes"/>); the audit records its type, not its bytes.</summary>
    [NotAudited]
    public byte[]? Logo { get; private set; }
    public string? LogoContentType { get; private set; }
    /// <summary>Concurrency token; the data layer raises it on every change.</summary>
    public int Version { get; private set; } = 1;
    public DateTimeOffset CreatedAt { get; private set; }

    public static Workspace Create(string name, DateTimeOffset now, string language) => new()
    {
        Name = name.Trim(),
        CreatedAt = now,
        Languages = language == "en" ? ["en", "zh-Hans"] : [language, "en"],
    };

    public void ChangeSettings(WorkspaceSettings settings)
    {
        Name = settings.Name.Trim();
        TimeZone = settings.TimeZone;
        FiscalYearStartMonth = settings.FiscalYearStartMonth;
        BaseCurrency = settings.BaseCurrency.ToUpperInvariant();
        DefaultCountry = settings.DefaultCountry.ToUpperInvariant();
        Languages = [.. settings.Languages];
        RequireTwoFactor = settings.RequireTwoFactor;
        Address = string.IsNullOrWhiteSpace(settings.Address) ? null : settings.Address.Trim();
    }

    public void ChangeLogo(byte[]? image, string? contentType)
    {
        Logo = image;
        LogoContentType = image is null ? null : contentType;
    }

    public WorkspaceSettings Settings =>
        new(Name, TimeZone, FiscalYearStartMonth, BaseCurrency, DefaultCountry, Languages, RequireTwoFactor, Address);
}

public sealed record WorkspaceSettings(
    string Name, string TimeZone, int FiscalYearStartMonth, string BaseCurrency, string DefaultCountry, IReadOnlyList<string> Languages,
    bool RequireTwoFactor = false, string? Address = null);

/// <summary>A person's place in a workspace. Record owners point here, so an owner is always a member.</summary>
[EntityName("membership")]
public sealed class Membership : Entities.IWorkspaceOwned, IWorkspaceConfiguration
{
    private Membership() { }

    public Guid WorkspaceId { get; private init; }
    public Guid UserId { get; private init; }
    public DateTimeOffset JoinedAt { get; private init; }
    /// <summary>Set while an admin has deactivated the member: they cannot sign in or act, and their sessions end.</summary>
    public DateTimeOffset? DeactivatedAt { get; private set; }

    public bool IsActive => DeactivatedAt is null;

    public static Membership Create(Guid workspaceId, Guid userId, DateTimeOffset now) =>
        new() { WorkspaceId = workspaceId, UserId = userId, JoinedAt = now };

    public void Deactivate(DateTimeOffset now) => DeactivatedAt ??= now;

    public void Reactivate() => DeactivatedAt = null;
}
