using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Jobs;

namespace Rapport.Kernel.Imports;

/// <summary>The import engine (jobs that run imports and their undo) and the <c>/api/v1/imports</c> endpoints.</summary>
public static class ImportsApi
{
    public static IServiceCollection AddImports(this IServiceCollection services) =>
        services.AddSingleton<ImportFiles>()
            .AddHostedService<ImportRetention>()
            .AddJobHandler<ImportJob>(Import.JobKind)
            .AddJobHandler<ImportUndoJob>(Import.UndoJobKind);

    public static void MapImports(this IEndpointRouteBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports");
        var templates = imports.MapGroup("/templates");
        ListImportTemplates.Map(templates);
        CreateImportTemplate.Map(templates);
        DeleteImportTemplate.Map(templates);
        PreviewImport.Map(imports);
        StartImport.Map(imports);
        GetImport.Map(imports);
        ImportErrorsFile.Map(imports);
        CancelImport.Map(imports);
        UndoImport.Map(imports);
    }
}
