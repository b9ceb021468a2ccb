using System.Collections.Concurrent;

[assembly: AssemblyFixture(typeof(Rapport.Tests.Infrastructure.Hosts))]

namespace Rapport.Tests.Infrastructure;

/// <summary>One running host per provider for the whole test run; tests isolate themselves by signing up their own workspaces.</summary>
public sealed class Hosts : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<RapportFactory>> _hosts = new();

    public RapportFactory For(string provider)
    {
        TestDatabases.RequireAvailable(provider);
        return _hosts.GetOrAdd(provider, p => new Lazy<RapportFactory>(() =>
        {
            var factory = new RapportFactory(p);
            _ = factory.Server; // boots and migrates now, once
            return factory;
        })).Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            await host.Value.DisposeAsync();
        }
    }
}
