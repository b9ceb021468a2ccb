using System.Globalization;
using System.Text.Json;
using System.Text;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Bench.Generator;

/// <summary>
/// A deterministic set of contacts (fixed seed): the CSV a user imports, and the same contacts as the plain rows Rapport
/// stores for them — for the ceiling, which loads those rows with <c>sqlite3 .import</c> and <c>psql \copy</c>.
/// <para>The import file mixes English and Chinese names, emails, phones in several formats (E.164, national with spaces
/// or dashes, Chinese numbers without +86 for a CN workspace), a few thousand companies, a select <c>tier</c> and a number
/// <c>score</c>; about 0.5% of the rows are invalid and 0.5% repeat an earlier row's email.</para>
/// <para>The ceiling rows are what Rapport writes for each valid row in the four contact tables: the contact (E.164
/// phones, lower-cased emails, custom values as JSON), its company link, its duplicate keys and its search entries —
/// computed with Rapport's own functions (<see cref="ContactPhones"/>, <see cref="ContactDuplicateKey"/>,
/// <see cref="NameKeys"/>, <see cref="SearchText"/>), so both sides write the same rows.</para>
/// </summary>
public static class ContactSet
{
    public const ulong DefaultSeed = 20_260_101;
    public const string ImportFile = "contacts.csv";
    /// <summary>One line per row of the import file: the duplicate key (<c>e:</c> + email) the re-import looks up.</summary>
    public const string KeysFile = "keys.csv";
    public const string DefaultCountry = "CN";
    public static readonly string[] Headers = ["First name", "Last name", "Email", "Phone", "Company", "Job title", "Tier", "Score"];
    /// <summary>The import's mapping of <see cref="Headers"/> to Rapport's contact fields.</summary>
    public static readonly IReadOnlyDictionary<string, string> Mapping = new Dictionary<string, string>
    {
        ["First name"] = "firstName", ["Last name"] = "lastName", ["Email"] = "emails", ["Phone"] = "phones",
        ["Company"] = "company", ["Job title"] = "jobTitle", ["Tier"] = "custom.tier", ["Score"] = "custom.score",
    };

    /// <summary>The ceiling's workspace and member (on PostgreSQL the ceiling's template holds them, for its foreign keys).</summary>
    public static readonly Guid WorkspaceId = Guid.Parse("0194f1a0-0000-7000-8000-00000000b0b0");
    public static readonly Guid UserId = Guid.Parse("0194f1a0-0000-7000-8000-00000000a0a0");
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const double InvalidShare = 0.005;
    private const double DuplicateShare = 0.005;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the set into <paramref name="directory"/> and returns what it holds.</summary>
    public static ContactSetSummary Write(string directory, int rows, ulong seed = DefaultSeed)
    {
        Directory.CreateDirectory(directory);
        var rng = new SplitMix(seed);
        var companies = Companies(rng, Math.Clamp(rows / 5, 20, 3000));
        var companyPick = WeightedPick<int>.ByRank([.. Enumerable.Range(0, companies.Count)], flatten: 10);
        var familyPick = new WeightedPick<(string, string)>(Names.ChineseFamilyNames.Select(n => ((n.Hanzi, n.Pinyin), n.Percent)));
        var firstPick = WeightedPick<string>.ByRank(Names.EnglishFirstNames, flatten: 8);
        var lastPick = WeightedPick<string>.ByRank(Names.EnglishFamilyNames, flatten: 4);
        var recentEmails = new string[4096];
        var recent = 0;
        var summary = new ContactSetSummary { Rows = rows, Seed = seed, Companies = companies.Count };

        using var import = new CsvOut(Path.Combine(directory, ImportFile), "\r\n");
        using var keys = new CsvOut(Path.Combine(directory, KeysFile));
        using var sqlite = new CeilingFiles(Path.Combine(directory, "ceiling", "sqlite"), postgres: false);
        using var postgres = new CeilingFiles(Path.Combine(directory, "ceiling", "postgres"), postgres: true);
        import.Row(Headers);
        for (var i = 0; i < rows; i++)
        {
            var person = Person(rng, i, familyPick, firstPick, lastPick);
            var company = rng.Chance(0.88) ? companyPick.Next(rng) : -1;
            var email = Email(rng, i, person, company >= 0 ? companies[company] : null);
            var (phone, e164) = Phone(rng, person.Chinese);
            var jobTitle = rng.Chance(0.85) ? rng.Pick(person.Chinese && rng.Chance(0.8) ? Names.ChineseJobTitles : Names.EnglishJobTitles) : null;
            var (tierCell, tier) = Tier(rng);
            var (scoreCell, score) = Score(rng);

            var kind = rng.NextDouble();
            if (kind < InvalidShare)
            {
                summary.Invalid++;
                switch (rng.Next(4))
                {
                    case 0: email = email.Replace('@', '.'); break;
                    case 1: tierCell = "Diamond"; break;
                    case 2: scoreCell = "n/a"; break;
                    default: phone = $"{rng.Next(100, 999)}-{rng.Next(10, 99)}"; break;
                }
            }
            else if (kind < InvalidShare + DuplicateShare && recent > 0)
            {
                summary.Duplicates++;
                var earlier = recentEmails[rng.Next(Math.Min(recent, recentEmails.Length))];
                email = rng.Chance(0.5) ? earlier.ToUpperInvariant() : earlier;
            }
            else
            {
                summary.Valid++;
                recentEmails[recent++ % recentEmails.Length] = email;
                var contact = new CeilingContact(
                    rng.NextGuidV7(Epoch.ToUnixTimeMilliseconds() + i), Epoch.AddMilliseconds(i), person.First, person.Last,
                    Contact.NormalizeEmails([email]), e164 is null ? [] : [e164], phone is null ? [] : [phone.Trim()], jobTitle,
                    company >= 0 ? companies[company].Id : null, CustomJson(tier, score));
                sqlite.Add(contact);
                postgres.Add(contact);
            }

            import.Row(person.First, person.Last, email, phone, company >= 0 ? companies[company].Name : null, jobTitle, tierCell, scoreCell);
            keys.Row(ContactDuplicateKey.Email + email.Trim().ToLowerInvariant());
        }

        summary.CeilingRows = sqlite.Rows;
        File.WriteAllText(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, Indented));
        return summary;
    }

    private sealed record Someone(string First, string Last, bool Chinese, string FirstAscii, string LastAscii);

    private sealed record Company(Guid Id, string Name, string? Domain);

    private static Someone Person(SplitMix rng, int i, WeightedPick<(string Hanzi, string Pinyin)> families, WeightedPick<string> firsts, WeightedPick<string> lasts)
    {
        if (rng.Chance(0.6))
        {
            var (family, familyPinyin) = families.Next(rng);
            var (given, givenPinyin) = rng.Pick(Names.ChineseGivenCharacters);
            if (rng.Chance(0.65))
            {
                var (second, secondPinyin) = rng.Pick(Names.ChineseGivenCharacters);
                (given, givenPinyin) = (given + second, givenPinyin + secondPinyin);
            }

            return new Someone(given, family, true, givenPinyin, familyPinyin);
        }

        var (first, last) = (firsts.Next(rng), lasts.Next(rng));
        return new Someone(first, last, false, Ascii(first), Ascii(last));
    }

    /// <summary>Unique by construction: a local part of letters and dots, then the row number (or a QQ number made from it).</summary>
    private static string Email(SplitMix rng, int i, Someone person, Company? company)
    {
        var number = i.ToString(CultureInfo.InvariantCulture);
        if (person.Chinese && rng.Chance(0.15))
        {
            return (100_000_000 + i).ToString(CultureInfo.InvariantCulture) + "@qq.com";
        }

        var (first, last) = (person.FirstAscii, person.LastAscii);
        var local = rng.Next(4) switch
        {
            0 => $"{first}.{last}",
            1 => person.Chinese ? last + first : first[..1] + last,
            2 => $"{first}_{last}",
            _ => person.Chinese ? $"{last}.{first}" : first + last[..1],
        };
        var domain = company?.Domain is { } corporate && rng.Chance(0.4) ? corporate
            : person.Chinese && rng.Chance(0.85) ? rng.Pick(Names.ChineseMailDomains) : rng.Pick(Names.PersonalMailDomains);
        var email = $"{local}{number}@{domain}";
        return rng.Chance(0.1) ? char.ToUpperInvariant(email[0]) + email[1..] : email;
    }

    /// <summary>A phone as typed and its E.164 form (as Rapport reads it for a CN workspace), or none.</summary>
    private static (string? Typed, string? E164) Phone(SplitMix rng, bool chinese)
    {
        if (rng.Chance(0.08))
        {
            return (null, null);
        }

        while (true)
        {
            var typed = chinese || rng.Chance(0.2) ? ChinesePhone(rng) : rng.Chance(0.7) ? UsPhone(rng) : UkPhone(rng);
            var (phones, errors) = ContactPhones.Normalize([typed], DefaultCountry);
            if (errors.Count == 0 && phones.Count == 1)
            {
                return (typed, phones[0].E164);
            }
        }
    }

    private static string ChinesePhone(SplitMix rng)
    {
        if (rng.Chance(0.15))
        {
            var area = rng.Pick(Names.ChineseAreaCodes);
            var local = Digits(rng, area.Length == 2 ? 8 : rng.Chance(0.5) ? 8 : 7, firstNonZero: true);
            return rng.Next(3) switch
            {
                0 => $"0{area}-{local}",
                1 => $"+86 {area} {local[..4]} {local[4..]}",
                _ => $"(0{area}) {local}",
            };
        }

        var mobile = rng.Pick(Names.ChineseMobilePrefixes) + Digits(rng, 8);
        return rng.Next(6) switch
        {
            0 => "+86" + mobile,
            1 => $"+86 {mobile[..3]} {mobile[3..7]} {mobile[7..]}",
            2 => $"{mobile[..3]} {mobile[3..7]} {mobile[7..]}",
            3 => $"{mobile[..3]}-{mobile[3..7]}-{mobile[7..]}",
            4 => mobile,
            _ => $"0086 {mobile}",
        };
    }

    private static string UsPhone(SplitMix rng)
    {
        var area = rng.Pick(Names.UsAreaCodes);
        var exchange = rng.Next(201, 999).ToString(CultureInfo.InvariantCulture);
        var line = Digits(rng, 4);
        return rng.Next(3) switch
        {
            0 => $"+1{area}{exchange}{line}",
            1 => $"+1 ({area}) {exchange}-{line}",
            _ => $"+1 {area}-{exchange}-{line}",
        };
    }

    private static string UkPhone(SplitMix rng)
    {
        var mobile = "7" + rng.Next(400, 999).ToString(CultureInfo.InvariantCulture) + Digits(rng, 6);
        return rng.Chance(0.5) ? $"+44 {mobile[..4]} {mobile[4..]}" : $"+44{mobile}";
    }

    private static string Digits(SplitMix rng, int count, bool firstNonZero = false)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + (i == 0 && firstNonZero ? rng.Next(2, 10) : rng.Next(10)));
        }

        return new string(digits);
    }

    /// <summary>The cell (a key, an English or a Chinese label, or blank) and the option key Rapport stores.</summary>
    private static (string? Cell, string? Key) Tier(SplitMix rng)
    {
        if (rng.Chance(0.2))
        {
            return (null, null);
        }

        var (key, label, labelZh) = rng.Pick(Names.Tiers);
        return (rng.Next(4) switch { 0 => key, 1 => labelZh, _ => label }, key);
    }

    private static (string? Cell, decimal? Value) Score(SplitMix rng)
    {
        if (rng.Chance(0.15))
        {
            return (null, null);
        }

        var value = rng.Chance(0.8) ? rng.Next(0, 101) : rng.Next(0, 1000) / 10m;
        return (value.ToString(CultureInfo.InvariantCulture), value);
    }

    private static string CustomJson(string? tier, decimal? score)
    {
        var values = new Dictionary<string, object>();
        if (tier is not null)
        {
            values["tier"] = tier;
        }

        if (score is not null)
        {
            values["score"] = score.Value;
        }

        return JsonSerializer.Serialize(values);
    }

    /// <summary>Distinct company names (case aside: Rapport matches a company cell by its lower-cased name), English and Chinese.</summary>
    private static List<Company> Companies(SplitMix rng, int count)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var companies = new List<Company>(count);
        while (companies.Count < count)
        {
            string name;
            string? domain = null;
            if (rng.Chance(0.5))
            {
                name = rng.Pick(Names.ChineseCities) + rng.Pick(Names.ChineseBrands) + rng.Pick(Names.ChineseTrades) + rng.Pick(Names.ChineseCompanySuffixes);
            }
            else if (rng.Chance(0.1))
            {
                name = $"{rng.Pick(Names.EnglishFamilyNames)}, {rng.Pick(Names.EnglishFamilyNames)} & Partners";
            }
            else
            {
                var (word, trade) = (rng.Pick(Names.CompanyWords), rng.Pick(Names.CompanyTrades));
                name = $"{word} {trade} {rng.Pick(Names.CompanySuffixes)}";
                domain = (word + trade).ToLowerInvariant() + ".com";
            }

            if (seen.Add(name))
            {
                companies.Add(new Company(rng.NextGuidV7(Epoch.ToUnixTimeMilliseconds() - 86_400_000 + companies.Count), name, domain));
            }
        }

        return companies;
    }

    private static string Ascii(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(ch))
            {
                folded.Append(char.ToLowerInvariant(ch));
            }
        }

        return folded.ToString();
    }

    /// <summary>A list as EF Core stores a primitive collection on SQLite (System.Text.Json's default escaping: <c>+</c> is <c>\u002B</c>).</summary>
    internal static string ArrayJson(IReadOnlyList<string> items) => JsonSerializer.Serialize(items);
}

/// <summary>What a generated set holds: rows of the import file by kind, and the rows the ceiling loads per table.</summary>
public sealed class ContactSetSummary
{
    public int Rows { get; set; }
    public ulong Seed { get; set; }
    public int Companies { get; set; }
    /// <summary>Rows Rapport creates.</summary>
    public int Valid { get; set; }
    /// <summary>Rows Rapport refuses (bad email, unknown tier, non-numeric score, invalid phone).</summary>
    public int Invalid { get; set; }
    /// <summary>Rows repeating an earlier row's email (in another case, sometimes): skipped in create mode.</summary>
    public int Duplicates { get; set; }
    public IReadOnlyDictionary<string, long> CeilingRows { get; set; } = new Dictionary<string, long>();
}
