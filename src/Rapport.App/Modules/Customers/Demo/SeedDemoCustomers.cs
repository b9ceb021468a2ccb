using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Demo;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Demo;

/// <summary>Demo companies and contacts in English and Chinese, written through the same handlers as the API.</summary>
public sealed class SeedDemoCustomers : IDemoSeeder
{
    private static readonly (string Name, string Domain, string Industry, string City, string Country, string Phone)[] Companies =
    [
        ("Acme Trading", "acme-trading.example", "Retail", "Berlin", "DE", "+49 30 1234567"),
        ("上海星辰科技有限公司", "xingchen-tech.example", "Software", "上海", "CN", "+86 21 6123 4567"),
        ("Northwind Foods", "northwind.example", "Food", "Seattle", "US", "+1 206 555 0100"),
        ("北京长城建材", "changcheng-build.example", "Construction", "北京", "CN", "+86 10 6512 3456"),
        ("Globex Logistics", "globex.example", "Logistics", "Rotterdam", "NL", "+31 10 123 4567"),
        ("深圳华南电子", "huanan-elec.example", "Electronics", "深圳", "CN", "+86 755 8123 4567"),
        ("Initech Consulting", "initech.example", "Consulting", "Austin", "US", "+1 512 555 0199"),
        ("杭州西湖茶业", "xihu-tea.example", "Food", "杭州", "CN", "+86 571 8765 4321"),
        ("Umbrella Health", "umbrella-health.example", "Healthcare", "London", "GB", "+44 20 7946 0000"),
        ("广州珠江物流", "zhujiang-logistics.example", "Logistics", "广州", "CN", "+86 20 3888 1234"),
        ("Stark Industrial", "stark-industrial.example", "Manufacturing", "Detroit", "US", "+1 313 555 0142"),
        ("成都天府软件", "tianfu-soft.example", "Software", "成都", "CN", "+86 28 8555 1234"),
    ];

    private static readonly (string First, string Last, string Title)[] People =
    [
        ("Anna", "Schmidt", "Purchasing manager"), ("小红", "李", "采购经理"), ("James", "Wilson", "CEO"), ("伟", "张", "总经理"),
        ("Sofia", "Rossi", "Head of operations"), ("芳", "刘", "运营总监"), ("Daniel", "Kim", "IT director"), ("磊", "陈", "技术总监"),
        ("Emma", "Brown", "Office manager"), ("静", "杨", "行政主管"), ("Lucas", "Martin", "Sales engineer"), ("强", "赵", "销售工程师"),
    ];

    public int Order => 10;

    public async Task SeedAsync(IServiceProvider services, DemoWorkspace demo, CancellationToken ct)
    {
        var operations = services.GetRequiredService<Kernel.Operations>();
        var admin = ViewAs.Member(demo.AdminId, demo.WorkspaceId);
        var companyIds = new List<Guid>();
        for (var i = 0; i < Companies.Length; i++)
        {
            var c = Companies[i];
            var fields = new CompanyFields(c.Name, c.Domain, c.Industry, c.Phone, $"https://www.{c.Domain}",
                new CompanyAddress(City: c.City, Country: c.Country), demo.Owners[i % demo.Owners.Count], i % 2 == 0 ? demo.TeamId : null);
            var created = await operations.RunAsync<CreateCompany.Handler, Kernel.Api.Outcome<CompanyDto>>(admin, h => h.HandleAsync(fields, ct));
            companyIds.Add(created.Value!.Id);
        }

        for (var i = 0; i < People.Length * 2; i++)
        {
            var p = People[i % People.Length];
            var company = companyIds[i % companyIds.Count];
            var chinese = p.First.Any(ch => ch >= '\u4e00');
            var email = chinese ? $"contact{i}@{Companies[i % Companies.Length].Domain}" : $"{p.First.ToLowerInvariant()}.{p.Last.ToLowerInvariant()}{i}@{Companies[i % Companies.Length].Domain}";
            var phone = chinese ? $"+86 138 {1000 + i:0000} {2000 + i:0000}" : $"+1 415 555 {(100 + i):0000}";
            var fields = new ContactFields(p.First, p.Last, [email], [phone], p.Title, new DateOnly(1970 + i, 1 + i % 12, 1 + i % 28), company,
                OwnerId: demo.Owners[i % demo.Owners.Count]);
            await operations.RunAsync<CreateContact.Handler, Kernel.Api.Outcome<ContactDto>>(admin, h => h.HandleAsync(fields, ct, allowDuplicate: true));
        }
    }
}
