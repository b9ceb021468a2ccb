using System.Globalization;
using System.Text.RegularExpressions;

namespace Rapport.Modules.Sales.Forecasts;

/// <summary>
/// A forecast or quota period: a calendar month (<c>2026-11</c>) or a fiscal quarter (<c>2026-Q4</c>). Fiscal year N starts
/// on the first day of the workspace's fiscal-year start month in calendar year N (start month 4: FY2026 runs from
/// 2026-04-01 to 2027-03-31, and 2026-Q4 is January–March 2027). Days are the workspace's calendar days (its time zone).
/// </summary>
public sealed partial record SalesPeriod(int Year, int? Quarter, int? Month)
{
    public const int MaxLength = 7;
    public const string Format = "yyyy-MM (a month) or yyyy-Qn (a fiscal quarter)";

    public bool IsQuarter => Quarter is not null;

    public static bool TryParse(string? text, out SalesPeriod period)
    {
        period = null!;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["quarter"].Success)
        {
            period = new SalesPeriod(year, int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture), null);
            return true;
        }

        var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return false;
        }

        period = new SalesPeriod(year, null, month);
        return true;
    }

    /// <summary>The fiscal quarter holding <paramref name="day"/>.</summary>
    public static SalesPeriod QuarterOf(DateOnly day, int fiscalYearStartMonth)
    {
        var monthsIntoYear = (day.Month - fiscalYearStartMonth + 12) % 12;
        var fiscalYear = day.Month >= fiscalYearStartMonth ? day.Year : day.Year - 1;
        return new SalesPeriod(fiscalYear, monthsIntoYear / 3 + 1, null);
    }

    /// <summary>The first and last day of the period.</summary>
    public (DateOnly From, DateOnly To) Days(int fiscalYearStartMonth)
    {
        var from = Quarter is { } q ? new DateOnly(Year, fiscalYearStartMonth, 1).AddMonths((q - 1) * 3) : new DateOnly(Year, Month!.Value, 1);
        return (from, from.AddMonths(IsQuarter ? 3 : 1).AddDays(-1));
    }

    /// <summary>The months of a quarter (or the month itself), as periods.</summary>
    public IEnumerable<SalesPeriod> Months(int fiscalYearStartMonth)
    {
        var (from, _) = Days(fiscalYearStartMonth);
        return Enumerable.Range(0, IsQuarter ? 3 : 1).Select(i => from.AddMonths(i)).Select(d => new SalesPeriod(d.Year, null, d.Month));
    }

    public override string ToString() => Quarter is { } q
        ? string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-Q{q}")
        : string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");

    [GeneratedRegex(@"^(?<year>(19|20|21)\d\d)-(Q(?<quarter>[1-4])|(?<month>\d\d))$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
