using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Currency;

namespace Rapport.Modules.Sales.Products;

/// <summary>The sales catalog: products, price books with their prices, and exchange rates (with the currency converter).</summary>
public static class SalesCatalogSetup
{
    public static IServiceCollection AddSalesCatalog(this IServiceCollection services) => services
        // Settings, like pipelines: no owners; every built-in role reads them, administrators and sales managers manage them.
        .AddAccessSetting<Product>(Product.TypeName, "Products", "产品")
        .AddAccessSetting<PriceBook>(PriceBook.TypeName, "Price books", "价格表")
        .AddAccessSetting<ExchangeRate>(ExchangeRate.TypeName, "Exchange rates", "汇率")
        .AddScoped<ICurrencyConverter, CurrencyConverter>();

    public static void MapSalesCatalog(this IEndpointRouteBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");
        ListProducts.Map(products);
        CreateProduct.Map(products);
        GetProduct.Map(products);
        UpdateProduct.Map(products);
        DeleteProduct.Map(products);
        RestoreProduct.Map(products);
        LookUpPrice.Map(products);

        var books = api.MapGroup("/price-books").WithTags("Price books");
        ListPriceBooks.Map(books);
        CreatePriceBook.Map(books);
        GetPriceBook.Map(books);
        UpdatePriceBook.Map(books);
        DeletePriceBook.Map(books);
        RestorePriceBook.Map(books);
        ListPrices.Map(books);
        GetPrice.Map(books);
        SetPrice.Map(books);
        RemovePrice.Map(books);

        var rates = api.MapGroup("/exchange-rates").WithTags("Exchange rates");
        ListExchangeRates.Map(rates);
        CreateExchangeRate.Map(rates);
        DeleteExchangeRate.Map(rates);
        ConvertAmount.Map(rates);
    }
}
