using Rapport.Kernel.Imports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Kernel.Security.Sharing;
using Rapport.Kernel.Timeline;
using Rapport.Kernel.Views;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers;

/// <summary>Companies (and, next, contacts): the records every other module hangs on.</summary>
public static class CustomersModule
{
    public static IServiceCollection AddCustomers(this IServiceCollection services) => services
        .AddSingleton<Kernel.Demo.IDemoSeeder, Demo.SeedDemoCustomers>()
        .AddHostedService<DuplicateKeyBackfill>()
        .AddAccessEntity<Company>(Company.TypeName, "Companies", "公司",
            "name", "domain", "industry", "phone", "website", "address", "ownerId", "teamId",
            "size", "annualRevenue", "parentCompanyId", "lifecycleStage", "tags", "otherAddresses", "socialProfiles")
        .AddAccessEntity<Contact>(Contact.TypeName, "Contacts", "联系人", ContactRules.RestrictableFields)
        .AddCompanySearch()
        .AddContactSearch()
        .AddRecordType<CompanyRecords>()
        .AddRecordType<ContactRecords>()
        .AddRecordTimeline()
        .AddViewSchema<CompanyViews>()
        .AddViewSchema<ContactViews>()
        .AddImportTarget<Imports.CompanyImport>(Company.TypeName)
        .AddImportTarget<Imports.ContactImport>(Contact.TypeName)
        .AddScoped<Contracts.ICustomerConversion, Conversion.CustomerConversion>()
        .AddScoped<Kernel.Jobs.IPurgeParticipant, CompanyPurgeLinks>();

    public static void MapCustomers(this IEndpointRouteBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies");
        ListCompanies.Map(companies);
        ExportCompanies.Map(companies);
        CreateCompany.Map(companies);
        GetCompany.Map(companies);
        UpdateCompany.Map(companies);
        DeleteCompany.Map(companies);
        RestoreCompany.Map(companies);
        BulkCompanies.Map(companies);
        BatchCompanies.Map(companies);
        GetCompanyHistory.Map(companies);
        RecordSharing.Map<Company>(companies, Company.TypeName);
        RecordTimeline.Map(companies, Company.TypeName);

        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        ListContacts.Map(contacts);
        ExportContacts.Map(contacts);
        CreateContact.Map(contacts);
        GetContact.Map(contacts);
        UpdateContact.Map(contacts);
        DeleteContact.Map(contacts);
        BulkContacts.Map(contacts);
        BatchContacts.Map(contacts);
        RecordSharing.Map<Contact>(contacts, Contact.TypeName);
        RecordTimeline.Map(contacts, Contact.TypeName);

        FindLikelyDuplicates.Map(contacts, companies);
        MergeContacts.Map(contacts);
        MergeCompanies.Map(companies);
        var duplicates = api.MapGroup("/duplicates").WithTags("Duplicates");
        ListDuplicatePairs.Map(duplicates);
        DismissDuplicate.Map(duplicates);
    }
}
