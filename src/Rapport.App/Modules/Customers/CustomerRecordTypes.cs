using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers;

/// <summary>Lets notes, files and later activities link to companies (see <see cref="IRecordType"/>).</summary>
internal sealed class CompanyRecords(RapportDbContext db, IAccessControl access) : OwnedRecordType<Company>(db, access, Company.TypeName)
{
    protected override async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IQueryable<Company> records, CancellationToken ct) =>
        await records.ToDictionaryAsync(c => c.Id, c => c.Name, ct);

    public override string Pages => "/companies";
}

/// <summary>Lets notes, files and later activities link to contacts (see <see cref="IRecordType"/>).</summary>
internal sealed class ContactRecords(RapportDbContext db, IAccessControl access, ICurrentUser currentUser) : OwnedRecordType<Contact>(db, access, Contact.TypeName)
{
    protected override async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IQueryable<Contact> records, CancellationToken ct)
    {
        var familyFirst = await ContactRules.FamilyNameFirstAsync(Db, currentUser.WorkspaceId!.Value, ct);
        return (await records.Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => ContactDto.NameOf(c.FirstName, c.LastName, familyFirst));
    }

    public override string Pages => "/contacts";
}
