using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Rapport.Kernel.CustomFields;

public static class CustomFieldsApi
{
    public static void MapCustomFields(this IEndpointRouteBuilder api)
    {
        var fields = api.MapGroup("/custom-fields").WithTags("Custom fields");
        ListCustomFields.Map(fields);
        CreateCustomField.Map(fields);
        UpdateCustomField.Map(fields);
        DeleteCustomField.Map(fields);
    }
}
