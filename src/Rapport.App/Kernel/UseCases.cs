using System.Reflection;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Security;

namespace Rapport.Kernel;

/// <summary>Registers every use-case <c>Handler</c> and runs them for Blazor pages, each in a scope of its own.</summary>
public static class UseCases
{
    public static IServiceCollection AddUseCaseHandlers(this IServiceCollection services, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { Name: "Handler", IsNested: true, IsClass: true, IsAbstract: false }))
        {
            services.AddScoped(type);
        }

        return services;
    }
}

/// <summary>
/// Runs a use case from a Blazor component: a fresh scope (and DbContext) per operation, acting as
/// the circuit's signed-in user, so pages go through the same handlers, checks and audit as the API.
/// </summary>
public sealed class Operations(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<THandler, TResult>(ClaimsPrincipal user, Func<THandler, Task<TResult>> operation) where THandler : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Use(user);
        return await operation(scope.ServiceProvider.GetRequiredService<THandler>());
    }
}
