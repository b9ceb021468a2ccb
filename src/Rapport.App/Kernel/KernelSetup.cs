using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Mail;
using Rapport.Kernel.Security;
using Rapport.Kernel.Views;

namespace Rapport.Kernel;

public static class KernelSetup
{
    /// <summary>
    /// The data directory: <c>Rapport:DataDirectory</c>, relative paths taken from the content root,
    /// default <c>data/</c> under it.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration, string contentRoot) =>
        Path.GetFullPath(Path.Combine(contentRoot, configuration["Rapport:DataDirectory"] is { Length: > 0 } d ? d : "data"));

    public static IServiceCollection AddKernel(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var settings = configuration.GetSection("Database").Get<DatabaseSettings>() ?? new DatabaseSettings();
        var dataDirectory = DataDirectory(configuration, contentRoot);
        var connectionString = settings.ConnectionString is { Length: > 0 } cs
            ? cs
            : settings.Provider == DatabaseProvider.Sqlite
                ? DatabaseSetup.SqliteConnectionString(dataDirectory)
                : throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL.");
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(dataDirectory);
            services.AddSingleton<SqliteConnectionLeases>();
        }

        services.AddSingleton(settings);
        services.AddSingleton(new AccessCatalog());
        services.AddSingleton(new Search.SearchCatalog());
        services.AddSingleton<Search.SearchIndex>();
        services.AddSavedViews();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<Idempotency.IdempotencyClaim>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddMemoryCache();
        services.AddSingleton<Workspaces.ConfigurationCache>();
        // The options are the same for every request: built once, not per request (a few percent of a point read's CPU).
        services.AddDbContext<RapportDbContext>(o => DatabaseSetup.Configure(o, settings.Provider, connectionString), optionsLifetime: ServiceLifetime.Singleton);
        services.AddDataProtection().SetApplicationName("Rapport").PersistKeysToDbContext<RapportDbContext>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<Operations>();
        services.AddScoped<Merging.IRecordMergeParticipant, Security.Sharing.ShareMergeParticipant>();
        services.AddScoped<Transfer.RecordExport>();
        services.AddMail(configuration);
        services.AddSingleton<TrashPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<TrashPurge>());
        services.AddSingleton(configuration.GetSection("Rapport:Jobs").Get<JobSettings>() ?? new JobSettings());
        services.AddSingleton<JobQueue>();
        services.AddHostedService<JobRunner>();
        services.AddImports();
        // Field names in errors are the API's JSON paths: "address.country", not "Address.Country".
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            expression is not null ? JsonPath(FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString())
            : member is null ? null : JsonPath(member.Name);
        // Messages name fields in words: "Workspace name must not be empty."
        // (Asked for every rule a validator runs, failing or not: worked out once per member.)
        var displayNames = new System.Collections.Concurrent.ConcurrentDictionary<System.Reflection.MemberInfo, string>();
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : displayNames.GetOrAdd(member, m =>
            System.Text.RegularExpressions.Regex.Replace(m.Name, "(?<!^)([A-Z])", c => " " + c.Value.ToLowerInvariant()));
        return services;
    }

    private static string JsonPath(string path) =>
        string.Join('.', path.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    /// <summary>
    /// Applies pending migrations (and, on PostgreSQL, the statistics of fields defined before Rapport kept them), then indexes
    /// existing records for search if the index is empty. Startup calls
    /// it unless <c>Database:MigrateOnStartup</c> is false; so does the <c>migrate</c> verb.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            await db.Database.MigrateAsync(ct);
            await CustomFields.CustomFieldIndexes.EnsureStatisticsAsync(db, ct);
        }

        services.GetService<SqliteConnectionLeases>()?.Clear(); // a migration may have changed a connection's settings

        await services.GetRequiredService<Search.SearchIndex>().RebuildIfEmptyAsync(ct);
    }

    private sealed class DatabaseHealthCheck(RapportDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
    }
}
