using System.Globalization;

namespace Rapport.Kernel.Transfer;

/// <summary>The fields of one card as its properties come in.</summary>
internal sealed class VCardFields
{
    private string? _given, _family, _formatted, _organization, _title, _note, _language;
    private DateOnly? _birthday;
    private string?[]? _address;
    private int _addressRank = int.MaxValue, _languageRank = int.MaxValue;
    private readonly List<(string Value, int Rank)> _emails = [];
    private readonly List<(string Value, int Rank)> _phones = [];
    private readonly List<string> _categories = [];

    public void Add(VCardReader.Property p)
    {
        switch (p.Name)
        {
            case "FN":
                _formatted = Text(VCardReader.Unescape(p.Raw));
                break;
            case "N":
                var n = Components(p.Raw);
                _family = Text(n.ElementAtOrDefault(0));
                _given = Text(string.Join(" ", new[] { n.ElementAtOrDefault(1), n.ElementAtOrDefault(2) }.Where(x => !string.IsNullOrWhiteSpace(x))));
                break;
            case "EMAIL" when Text(VCardReader.Unescape(p.Raw)) is { } email:
                _emails.Add((email, p.Rank));
                break;
            case "TEL" when Phone(p) is { } phone:
                _phones.Add((phone, p.Rank));
                break;
            case "ORG":
                _organization = Text(Components(p.Raw).FirstOrDefault());
                break;
            case "TITLE":
                _title = Text(VCardReader.Unescape(p.Raw));
                break;
            case "BDAY":
                _birthday = p.Has("VALUE", "text") ? null : Date(p.Raw.Trim());
                break;
            case "ADR" when p.Rank < _addressRank:
                var a = Components(p.Raw);
                string? Part(int i) => Text(a.ElementAtOrDefault(i));
                _address = [Text(string.Join(", ", new[] { Part(2), Part(1), Part(0) }.OfType<string>())), Part(3), Part(4), Part(5), Part(6)];
                _addressRank = p.Rank;
                break;
            case "NOTE":
                _note = Text(VCardReader.Unescape(p.Raw));
                break;
            case "CATEGORIES":
                foreach (var category in VCardReader.Split(p.Raw, ',').Select(c => Text(VCardReader.Unescape(c))).OfType<string>())
                {
                    if (!_categories.Contains(category, StringComparer.OrdinalIgnoreCase))
                    {
                        _categories.Add(category);
                    }
                }

                break;
            case "LANG" when p.Rank < _languageRank:
                _language = Text(VCardReader.Unescape(p.Raw));
                _languageRank = p.Rank;
                break;
            default:
                break;
        }
    }

    public VCardContact Build() => new()
    {
        GivenName = _given,
        FamilyName = _family,
        FormattedName = _formatted,
        Emails = Ordered(_emails),
        Phones = Ordered(_phones),
        Organization = _organization,
        Title = _title,
        Birthday = _birthday,
        Street = _address?[0],
        City = _address?[1],
        Region = _address?[2],
        PostalCode = _address?[3],
        Country = _address?[4],
        Note = _note,
        Categories = [.. _categories],
        Language = _language,
    };

    /// <summary>Most preferred first (a contact's first email and phone are the primary ones), then in file order, without repeats.</summary>
    private static List<string> Ordered(List<(string Value, int Rank)> values) =>
        [.. values.OrderBy(v => v.Rank).Select(v => v.Value).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>A <c>tel:</c> URI (4.0) or free text (3.0); an extension stays as <c>ext. 123</c>.</summary>
    private static string? Phone(VCardReader.Property p)
    {
        var raw = p.Raw.Trim();
        if (!p.Has("VALUE", "uri") && !raw.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return Text(VCardReader.Unescape(raw));
        }

        var uri = raw.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? raw[4..] : raw;
        var parts = uri.Split(';');
        var number = Uri.UnescapeDataString(parts[0]);
        var extension = parts.Skip(1).FirstOrDefault(x => x.StartsWith("ext=", StringComparison.OrdinalIgnoreCase))?[4..];
        return Text(extension is { Length: > 0 } ? $"{number} ext. {extension}" : number);
    }

    private static DateOnly? Date(string value)
    {
        var date = value.Split('T')[0];
        string[] formats = ["yyyy-MM-dd", "yyyyMMdd"];
        if (DateOnly.TryParseExact(date, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
        {
            return full;
        }

        // No year: --MMdd (4.0) or --MM-dd.
        return date.StartsWith("--", StringComparison.Ordinal)
               && DateOnly.TryParseExact(VCard.NoYear + "-" + date[2..].Replace("-", "", StringComparison.Ordinal), "yyyy-MMdd",
                   CultureInfo.InvariantCulture, DateTimeStyles.None, out var monthDay)
            ? monthDay
            : null;
    }

    private static List<string> Components(string raw) => [.. VCardReader.Split(raw, ';').Select(VCardReader.Unescape)];

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
