using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Kernel.Demo;

/// <summary>What the <c>seed-demo</c> verb has made so far, passed from one module's seeder to the next.</summary>
public sealed class DemoWorkspace
{
    public Guid WorkspaceId { get; set; }
    public Guid AdminId { get; set; }
    /// <summary>Members who own demo records (sales people).</summary>
    public List<Guid> Owners { get; } = [];
    public Guid? TeamId { get; set; }
    public bool AlreadySeeded { get; set; }
}

/// <summary>A module's part of the demo data. Seeders run in <see cref="Order"/>; each writes through the module's own handlers.</summary>
public interface IDemoSeeder
{
    int Order { get; }

    Task SeedAsync(IServiceProvider services, DemoWorkspace demo, CancellationToken ct);
}

public static class DemoData
{
    public static async Task<DemoWorkspace> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var demo = new DemoWorkspace();
        foreach (var seeder in services.GetServices<IDemoSeeder>().OrderBy(s => s.Order))
        {
            await seeder.SeedAsync(services, demo, ct);
            if (demo.AlreadySeeded)
            {
                break;
            }
        }

        return demo;
    }
}
