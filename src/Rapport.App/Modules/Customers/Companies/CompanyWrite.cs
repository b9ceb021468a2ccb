using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;

namespace Rapport.Modules.Customers.Companies;

/// <summary>
/// A company create (<see cref="CreateCompany"/>) or change (<see cref="UpdateCompany"/>) that passed all their checks,
/// not applied yet. Its batch key is the domain it brings in: domains are unique in a workspace.
/// </summary>
public sealed class CompanyWrite(RapportDbContext db, Company company, CustomFieldSet custom, string values, bool creates, string? addedDomain, Action apply)
    : CheckedWrite<CompanyWrite>(db, company, creates, addedDomain is null ? [] : [addedDomain], apply)
{
    public Company Company => company;
    public CustomFieldSet Custom => custom;

    public override Outcome<CompanyWrite> Clash(int earlierIndex) =>
        Outcome<CompanyWrite>.Invalid("domain", $"Item {earlierIndex} of this batch has the same domain.");

    protected override async Task<Outcome<CompanyWrite>> TakenAsync(CancellationToken ct) =>
        await custom.UniqueErrorsAsync(Db, company.Id, values, ct) is { Count: > 0 } taken
            ? Outcome<CompanyWrite>.Invalid(taken)
            : Outcome<CompanyWrite>.Invalid("domain", "Another company already has this domain.");
}
