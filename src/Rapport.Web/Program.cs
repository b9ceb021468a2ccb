using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Data;
using Rapport.Kernel.Idempotency;
using Rapport.Kernel.Views;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Collaboration;
using Rapport.Modules.Compliance;
using Rapport.Modules.Customers;
using Rapport.Modules.Identity;
using Rapport.Modules.Identity.SignIns;
using Rapport.Modules.Sales;
using Rapport.Modules.Sales.Products;
using Rapport.Web;
using Rapport.Web.Components;
using Scalar.AspNetCore;
using Serilog;

Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var builder = WebApplication.CreateBuilder(args);
var verb = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));

builder.Host.UseSerilog((context, _, logger) => logger
    .ReadFrom.Configuration(context.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console(
        outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}",
        formatProvider: CultureInfo.InvariantCulture));

builder.Services
    .AddKernel(builder.Configuration, builder.Environment.ContentRootPath)
    .AddApiErrors()
    .AddIdentityModule()
    .AddCustomers()
    .AddSales()
    .AddSalesCatalog()
    .AddSalesDocuments()
    .AddCollaboration()
    .AddCompliance()
    .AddUseCaseHandlers(typeof(KernelSetup).Assembly);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
builder.Services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityScheme>());
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
builder.Services.AddLocalization();
builder.Services.AddTelemetry(builder.Configuration);
builder.Services.AddSignInRateLimits(builder.Configuration);

var app = builder.Build();
var database = app.Services.GetRequiredService<DatabaseSettings>();
if (verb == "migrate")
{
    await app.Services.MigrateDatabaseAsync();
    Log.Information("Database migrated ({Provider})", database.Provider);
    return;
}

if (database.MigrateOnStartup || verb is "seed-demo" or "reindex")
{
    await app.Services.MigrateDatabaseAsync();
}

if (verb == "reindex")
{
    var indexed = await app.Services.GetRequiredService<Rapport.Kernel.Search.SearchIndex>().RebuildAllAsync(CancellationToken.None);
    Log.Information("Search index rebuilt for {Count} records", indexed);
    return;
}

if (verb == "seed-demo")
{
    var demo = await Rapport.Kernel.Demo.DemoData.SeedAsync(app.Services, CancellationToken.None);
    Log.Information(demo.AlreadySeeded ? "The demo workspace exists already" : "Demo workspace created");
    Log.Information("Sign in as demo@rapport.local (admin), manager@rapport.local, rep1@rapport.local or rep2@rapport.local, password rapport-demo-2026");
    return;
}

app.UseSecurityHeaders();
app.UseSerilogRequestLogging(); // outside the exception handler, so it logs the status the caller got
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseRequestLocalization(o => o
    .SetDefaultCulture("en")
    .AddSupportedCultures([.. Workspace.SupportedLanguages])
    .AddSupportedUICultures([.. Workspace.SupportedLanguages]));
app.UseAuthentication();
app.UseApiKeyScopes();
app.UseAuthorization();
app.UseAntiforgery();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapStaticAssets().AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/api/docs", o => o.WithTitle("Rapport API")).AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
var api = app.MapGroup("/api/v1");
api.MapIdentity();
api.MapCustomers();
api.MapSales();
api.MapSalesCatalog();
api.MapSalesDocuments();
api.MapCollaboration();
api.MapCompliance();
api.MapCustomFields();
api.MapImports();
Rapport.Kernel.Search.GlobalSearch.Map(api);
api.MapSavedViews();
app.MapAccountEndpoints();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddAdditionalAssemblies(typeof(KernelSetup).Assembly);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var urls = string.Join(", ", app.Urls);
    Log.Information("Rapport is running on {Urls} with {Provider}. Open it in a browser and sign up to create your workspace", urls, database.Provider);
});

await app.RunAsync();

public partial class Program;
