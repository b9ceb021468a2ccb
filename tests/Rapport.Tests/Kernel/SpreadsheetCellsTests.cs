using Rapport.Kernel.Transfer;

namespace Rapport.Tests.Kernel;

public sealed class SpreadsheetCellsTests
{
    [Theory]
    [InlineData("=SUM(A1:A9)")]
    [InlineData("=1+1")]
    [InlineData("@cmd")]
    [InlineData("@SUM(1)")]
    [InlineData("\tTabbed")]
    [InlineData("\rCarriage")]
    [InlineData("+A1")]
    [InlineData("-2+3")]
    [InlineData("+1-1")]
    [InlineData("-cmd|' /C calc'!A0")]
    [InlineData("+HYPERLINK(\"http://example.com\")")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("'=1+1")] // an apostrophe a person typed before a formula keeps its own mark after the round trip
    [InlineData("''@x")]
    public void Cells_a_spreadsheet_would_run_get_a_leading_apostrophe_and_come_back_unchanged(string value)
    {
        var neutralized = SpreadsheetCells.Neutralize(value);
        Assert.Equal("'" + value, neutralized);
        Assert.Equal(value, SpreadsheetCells.Restore(neutralized));
    }

    [Theory]
    [InlineData("+8613800138000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+1 (555) 010-9999")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+49-30-1234567")]
    [InlineData("-12.5")]
    [InlineData("-1,234.56")]
    [InlineData("+3")]
    [InlineData("-.5")]
    [InlineData("-1E5")]
    [InlineData("Wang")]
    [InlineData("王小明")]
    [InlineData("a=b")]
    [InlineData("'quoted")]
    [InlineData("'")]
    [InlineData("")]
    [InlineData(" =1+1")]
    public void Plain_text_numbers_and_phones_stay_as_they_are(string value)
    {
        Assert.Equal(value, SpreadsheetCells.Neutralize(value));
        Assert.Equal(value, SpreadsheetCells.Restore(value));
    }

    [Fact]
    public void Null_stays_null() => Assert.Null(SpreadsheetCells.Restore(SpreadsheetCells.Neutralize(null)));

    [Theory]
    [InlineData("'=1+1", "=1+1")]
    [InlineData("'+A1", "+A1")]
    [InlineData("'-2+3", "-2+3")]
    [InlineData("'''=1", "''=1")]
    [InlineData("'+8613800138000", "'+8613800138000")] // Neutralize never marks a phone, so this apostrophe is the person's
    [InlineData("'-12.5", "'-12.5")]
    [InlineData("'text", "'text")]
    public void Restore_strips_only_the_mark_neutralize_adds(string cell, string restored) =>
        Assert.Equal(restored, SpreadsheetCells.Restore(cell));
}
