using System.Globalization;
using System.Text;

namespace Rapport.Kernel.Transfer;

/// <summary>
/// The contact fields Rapport reads from and writes to vCards. A birthday whose year is unknown (<c>--0415</c>)
/// is kept in the year <see cref="VCard.NoYear"/>, as Apple Contacts does.
/// </summary>
public sealed record VCardContact
{
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? FormattedName { get; init; }
    public IReadOnlyList<string> Emails { get; init; } = [];
    public IReadOnlyList<string> Phones { get; init; } = [];
    public string? Organization { get; init; }
    public string? Title { get; init; }
    public DateOnly? Birthday { get; init; }
    public string? Street { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>The language to use with the person (vCard <c>LANG</c>), e.g. <c>zh-Hans</c>.</summary>
    public string? Language { get; init; }
}

/// <summary>
/// vCard files (RFC 6350): writes 4.0; reads 4.0 and 3.0 as address books export them (Apple Contacts,
/// Google Contacts, Outlook), including 3.0's quoted-printable values, charsets and grouped properties.
/// </summary>
public static class VCard
{
    /// <summary>The year standing for "no year" in a birthday (a leap year, so 29 February fits).</summary>
    public const int NoYear = 1604;

    private const int MaxLineOctets = 75;

    /// <summary>Writes the contacts as vCard 4.0: CRLF line ends, lines folded at 75 octets, text escaped.</summary>
    public static void Write(TextWriter writer, IEnumerable<VCardContact> contacts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(contacts);
        foreach (var contact in contacts)
        {
            WriteCard(writer, contact);
        }
    }

    /// <summary>Reads one card at a time from a vCard 3.0 or 4.0 file (several cards may follow each other).</summary>
    public static IEnumerable<VCardContact> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return VCardReader.Read(reader);
    }

    private static void WriteCard(TextWriter writer, VCardContact c)
    {
        Line(writer, "BEGIN:VCARD");
        Line(writer, "VERSION:4.0");
        var formatted = c.FormattedName is { Length: > 0 } fn ? fn : string.Join(" ", new[] { c.GivenName, c.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        Line(writer, "FN:" + Escape(formatted));
        Line(writer, $"N:{Escape(c.FamilyName)};{Escape(c.GivenName)};;;");
        for (var i = 0; i < c.Emails.Count; i++)
        {
            Line(writer, (i == 0 ? "EMAIL;PREF=1:" : "EMAIL:") + Escape(c.Emails[i]));
        }

        for (var i = 0; i < c.Phones.Count; i++)
        {
            var phone = c.Phones[i].Trim();
            var pref = i == 0 ? ";PREF=1" : "";
            // tel: URIs for numbers with nothing but digits after the +; anything else stays free text.
            Line(writer, phone.Length > 1 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit)
                ? $"TEL;VALUE=uri{pref}:tel:{phone}"
                : $"TEL;VALUE=text{pref}:{Escape(phone)}");
        }

        if (!string.IsNullOrEmpty(c.Organization))
        {
            Line(writer, "ORG:" + Escape(c.Organization));
        }

        if (!string.IsNullOrEmpty(c.Title))
        {
            Line(writer, "TITLE:" + Escape(c.Title));
        }

        if (c.Birthday is { } birthday)
        {
            Line(writer, "BDAY:" + birthday.ToString(birthday.Year == NoYear ? "--MMdd" : "yyyyMMdd", CultureInfo.InvariantCulture));
        }

        if (new[] { c.Street, c.City, c.Region, c.PostalCode, c.Country }.Any(p => !string.IsNullOrEmpty(p)))
        {
            Line(writer, $"ADR:;;{Escape(c.Street)};{Escape(c.City)};{Escape(c.Region)};{Escape(c.PostalCode)};{Escape(c.Country)}");
        }

        if (!string.IsNullOrEmpty(c.Note))
        {
            Line(writer, "NOTE:" + Escape(c.Note));
        }

        if (c.Categories.Count > 0)
        {
            Line(writer, "CATEGORIES:" + string.Join(",", c.Categories.Select(Escape)));
        }

        if (!string.IsNullOrEmpty(c.Language))
        {
            Line(writer, "LANG:" + c.Language);
        }

        Line(writer, "END:VCARD");
    }

    /// <summary>Escapes a text value: backslash, comma, semicolon and line breaks.</summary>
    internal static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\': text.Append(@"\\"); break;
                case ',': text.Append(@"\,"); break;
                case ';': text.Append(@"\;"); break;
                case '\r' when i + 1 < value.Length && value[i + 1] == '\n': break; // CRLF is one line break
                case '\r' or '\n': text.Append(@"\n"); break;
                default: text.Append(value[i]); break;
            }
        }

        return text.ToString();
    }

    /// <summary>Writes one content line, folded so no line exceeds 75 octets of UTF-8 and no character is cut in two.</summary>
    private static void Line(TextWriter writer, string line)
    {
        var octets = 0;
        var limit = MaxLineOctets;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]) ? 2 : 1;
            var size = length == 2 ? 4 : line[i] < 0x80 ? 1 : line[i] < 0x800 ? 2 : 3;
            if (octets + size > limit)
            {
                writer.Write("\r\n ");
                octets = 0;
                limit = MaxLineOctets - 1; // the leading space of a continuation line counts
            }

            writer.Write(line.AsSpan(i, length));
            octets += size;
            i += length - 1;
        }

        writer.Write("\r\n");
    }
}
