using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Jobs;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Companies;

/// <summary>
/// A company purged from the trash leaves the contacts (in the trash too) that worked for it and the subsidiaries under it,
/// each change audited, in the purge's transaction; without this the database refuses the purge (a lead conversion undone
/// trashes a contact with the company it created, for instance).
/// </summary>
internal sealed class CompanyPurgeLinks : IPurgeParticipant
{
    public async Task PurgingAsync(RapportDbContext db, IReadOnlyList<BusinessRecord> records, CancellationToken ct)
    {
        var ids = records.OfType<Company>().Select(c => c.Id).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var contacts = await ContactRules.WithLinks(db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]))
            .Where(c => (c.CompanyId != null && ids.Contains(c.CompanyId.Value)) || c.Companies.Any(l => ids.Contains(l.CompanyId))).ToListAsync(ct);
        foreach (var contact in contacts)
        {
            contact.LeaveCompanies(ids);
            db.Entry(contact).Property(c => c.Version).IsModified = true; // company links alone still make a new version
        }

        var subsidiaries = await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter])
            .Where(c => c.ParentCompanyId != null && ids.Contains(c.ParentCompanyId.Value) && !ids.Contains(c.Id)).ToListAsync(ct);
        subsidiaries.ForEach(c => c.ChangeParent(null));
    }

    public Task PurgedAsync(IReadOnlyList<BusinessRecord> records, CancellationToken ct) => Task.CompletedTask;
}
