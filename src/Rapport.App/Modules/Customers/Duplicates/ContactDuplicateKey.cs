using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// One thing a contact is matched on — <c>e:</c> an email, <c>p:</c> a phone in E.164, <c>n:</c> a company id and
/// the normalized name — indexed, so the duplicate finder groups contacts in the database (two contacts sharing a
/// key are a candidate pair) and a check before saving is an index lookup, at a million contacts too.
/// </summary>
public sealed class ContactDuplicateKey : IWorkspaceOwned
{
    public const int KeyMaxLength = 300;
    public const string Email = "e:";
    public const string Phone = "p:";
    public const string Name = "n:";

    private ContactDuplicateKey() { }

    internal ContactDuplicateKey(Guid workspaceId, Guid contactId, string key)
    {
        WorkspaceId = workspaceId;
        ContactId = contactId;
        Key = key;
    }

    public Guid WorkspaceId { get; private init; }
    public Guid ContactId { get; private init; }
    public string Key { get; private init; } = "";

    public static HashSet<string> KeysOf(IEnumerable<string> emails, IEnumerable<string> phones, string? nameKey, IEnumerable<Guid> companyIds)
    {
        var keys = emails.Select(e => Email + e).Concat(phones.Select(p => Phone + p)).ToHashSet(StringComparer.Ordinal);
        if (nameKey is not null)
        {
            keys.UnionWith(companyIds.Select(c => NameAt(c, nameKey)));
        }

        keys.RemoveWhere(k => k.Length > KeyMaxLength);
        return keys;
    }

    public static string NameAt(Guid companyId, string nameKey) => $"{Name}{companyId:N}:{nameKey}";

    /// <summary>The kind of match a key stands for: email, phone or name (at the same company).</summary>
    public static string KindOf(string key) => key[..2] switch { Email => "email", Phone => "phone", _ => "name" };

    /// <summary>The readable part of a key: the email, the phone, or the normalized name.</summary>
    public static string ValueOf(string key) => key.StartsWith(Name, StringComparison.Ordinal) ? key[(key.IndexOf(':', 2) + 1)..] : key[2..];
}

internal sealed class ContactDuplicateKeyConfiguration : IEntityTypeConfiguration<ContactDuplicateKey>
{
    public void Configure(EntityTypeBuilder<ContactDuplicateKey> b)
    {
        b.ToTable("customers_contact_duplicate_keys");
        b.HasKey(k => new { k.WorkspaceId, k.ContactId, k.Key });
        b.Property(k => k.Key).HasMaxLength(ContactDuplicateKey.KeyMaxLength);
        b.HasIndex(k => new { k.WorkspaceId, k.Key, k.ContactId });
    }
}
