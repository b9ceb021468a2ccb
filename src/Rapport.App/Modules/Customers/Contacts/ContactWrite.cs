using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// A contact create (<see cref="CreateContact"/>) or change (<see cref="UpdateContact"/>) that passed all their checks,
/// not applied yet. Its batch keys are the emails and phones it brings in, unless duplicates were allowed.
/// </summary>
public sealed class ContactWrite(
    RapportDbContext db, Contact contact, CustomFieldSet custom, string values, bool creates,
    IEnumerable<string> addedEmails, IEnumerable<string> addedPhones, bool allowDuplicate, Action apply)
    : CheckedWrite<ContactWrite>(db, contact, creates, allowDuplicate ? [] : ContactDuplicateKey.KeysOf(addedEmails, addedPhones, null, []), apply)
{
    public Contact Contact => contact;
    public CustomFieldSet Custom => custom;

    public override Outcome<ContactWrite> Clash(int earlierIndex) => Outcome<ContactWrite>.Conflict(
        $"Item {earlierIndex} of this batch has the same email or phone. Send the batch with allowDuplicates=true to keep both.",
        new Dictionary<string, object?> { ["duplicateOfItem"] = earlierIndex });

    protected override async Task<Outcome<ContactWrite>> TakenAsync(CancellationToken ct) =>
        Outcome<ContactWrite>.Invalid(await custom.UniqueErrorsAsync(Db, contact.Id, values, ct));
}
