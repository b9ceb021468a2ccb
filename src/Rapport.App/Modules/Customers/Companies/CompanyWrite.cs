using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;

namespace Rapport.Modules.Customers.Companies;

/// <summary>
/// A company create (<see cref="CreateCompany"/>) or change (<see cref="UpdateCompany"/>) that passed all their checks,
/// not applied yet. Its batch key is the domain it brings in: domains are unique in a workspace.
/// </summary>
public sealed class CompanyWrite : ICheckedWrite<CompanyWrite>
{
    private readonly RapportDbContext _db;
    private readonly string _values;
    private readonly Action _apply;
    private bool _applied;

    internal CompanyWrite(RapportDbContext db, Company company, CustomFieldSet custom, string values, bool creates, string? addedDomain, Action apply)
    {
        _db = db;
        Company = company;
        Custom = custom;
        _values = values;
        Creates = creates;
        BatchKeys = addedDomain is null ? [] : [addedDomain];
        _apply = apply;
    }

    public Company Company { get; }
    public CustomFieldSet Custom { get; }
    public IBusinessRecord Record => Company;
    public bool Creates { get; }
    public IReadOnlyCollection<string> BatchKeys { get; }

    public Outcome<CompanyWrite> Clash(int earlierIndex) =>
        Outcome<CompanyWrite>.Invalid("domain", $"Item {earlierIndex} of this batch has the same domain.");

    public void Apply()
    {
        if (!_applied)
        {
            _apply();
            _applied = true;
        }
    }

    public async Task<Outcome<CompanyWrite>> SaveAsync(CancellationToken ct)
    {
        Apply();
        try
        {
            // A change's version read in the check is the original value EF compares: a concurrent writer makes it match no row.
            await _db.SaveChangesAsync(ct);
            return Outcome<CompanyWrite>.Ok(this);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<CompanyWrite>.Stale();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return await Custom.UniqueErrorsAsync(_db, Company.Id, _values, ct) is { Count: > 0 } taken
                ? Outcome<CompanyWrite>.Invalid(taken)
                : Outcome<CompanyWrite>.Invalid("domain", "Another company already has this domain.");
        }
    }
}
