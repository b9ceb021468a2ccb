using MudBlazor;
using Rapport.Modules.Sales.Orders;
using Rapport.Modules.Sales.SalesContracts;

namespace Rapport.Modules.Sales.Quotes.UI;

/// <summary>Colours of quote, order and contract statuses, the same on every page.</summary>
internal static class SalesDocumentDisplay
{
    public static Color StatusColor(string status) => status switch
    {
        QuoteStatuses.Sent or OrderStatuses.Confirmed => Color.Info,
        QuoteStatuses.Accepted or OrderStatuses.Fulfilled or ContractStatuses.Active => Color.Success,
        QuoteStatuses.Rejected or OrderStatuses.Cancelled or ContractStatuses.Cancelled => Color.Error,
        QuoteStatuses.Expired or ContractStatuses.Ended => Color.Warning,
        _ => Color.Default,
    };

    public static string Percent(decimal value) => value == 0 ? "" : $"{value.ToString("0.####", System.Globalization.CultureInfo.CurrentCulture)} %";
}
