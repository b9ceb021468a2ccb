using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// A contact create (<see cref="CreateContact"/>) or change (<see cref="UpdateContact"/>) that passed all their checks,
/// not applied yet. Its batch keys are the emails and phones it brings in, unless duplicates were allowed.
/// </summary>
public sealed class ContactWrite : ICheckedWrite<ContactWrite>
{
    private readonly RapportDbContext _db;
    private readonly string _values;
    private readonly Action _apply;
    private bool _applied;

    internal ContactWrite(RapportDbContext db, Contact contact, CustomFieldSet custom, string values, bool creates,
        IEnumerable<string> addedEmails, IEnumerable<string> addedPhones, bool allowDuplicate, Action apply)
    {
        _db = db;
        Contact = contact;
        Custom = custom;
        _values = values;
        Creates = creates;
        BatchKeys = allowDuplicate ? [] : ContactDuplicateKey.KeysOf(addedEmails, addedPhones, null, []);
        _apply = apply;
    }

    public Contact Contact { get; }
    public CustomFieldSet Custom { get; }
    public IBusinessRecord Record => Contact;
    public bool Creates { get; }
    public IReadOnlyCollection<string> BatchKeys { get; }

    public Outcome<ContactWrite> Clash(int earlierIndex) => Outcome<ContactWrite>.Conflict(
        $"Item {earlierIndex} of this batch has the same email or phone. Send the batch with allowDuplicates=true to keep both.",
        new Dictionary<string, object?> { ["duplicateOfItem"] = earlierIndex });

    public void Apply()
    {
        if (!_applied)
        {
            _apply();
            _applied = true;
        }
    }

    public async Task<Outcome<ContactWrite>> SaveAsync(CancellationToken ct)
    {
        Apply();
        try
        {
            // A change's version read in the check is the original value EF compares: a concurrent writer makes it match no row.
            await _db.SaveChangesAsync(ct);
            return Outcome<ContactWrite>.Ok(this);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ContactWrite>.Stale();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Outcome<ContactWrite>.Invalid(await Custom.UniqueErrorsAsync(_db, Contact.Id, _values, ct));
        }
    }
}
