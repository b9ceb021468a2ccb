using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>Saved views of any list: the <c>views.share</c> capability roles may grant, and the <c>/api/v1/views</c> endpoints.</summary>
public static class SavedViews
{
    public static IServiceCollection AddSavedViews(this IServiceCollection services) =>
        services.AddAccessCapability(SavedViewRights.Share, "Share saved views with the whole workspace", "与整个工作区共享保存的视图");

    public static void MapSavedViews(this IEndpointRouteBuilder api)
    {
        var views = api.MapGroup("/views").WithTags("Saved views");
        ListViews.Map(views);
        CreateView.Map(views);
        UpdateView.Map(views);
        DeleteView.Map(views);
    }
}
