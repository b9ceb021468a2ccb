using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using MiniExcelLibs;
using Rapport.Kernel.Transfer;

namespace Rapport.Tests.Kernel;

/// <summary>Runs alone, so the memory the streaming tests measure is this reader's and no other test's.</summary>
[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;

/// <summary>Messy real-world CSV and XLSX files read as headers plus trimmed rows with stable row numbers.</summary>
[Collection(nameof(MemoryMeasured))]
public sealed class TabularReaderTests
{
    static TabularReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Semicolon_file_with_a_utf8_bom_is_detected_and_its_cells_trimmed()
    {
        using var reader = Csv("Name ; Email;City\r\n  Wang  Xiaoming ;wang@example.cn ;\"Beijing; Haidian\"\r\n", bom: true);

        Assert.Equal(["Name", "Email", "City"], reader.Headers);
        Assert.Equal("utf-8", reader.DetectedEncoding);
        Assert.Equal(';', reader.DetectedDelimiter);
        Assert.Equal(["2: Wang  Xiaoming | wang@example.cn | Beijing; Haidian"], Rows(reader));
    }

    [Fact]
    public void Quoted_newlines_and_doubled_quotes_stay_in_one_cell_of_one_row()
    {
        using var reader = Csv("Name,Note\r\n\"Li, Lei\",\"first line\r\nsecond \"\"quoted\"\" line\"\r\nBo,x\r\n");

        Assert.Equal(["2: Li, Lei | first line\r\nsecond \"quoted\" line", "3: Bo | x"], Rows(reader));
    }

    [Fact]
    public void Gbk_encoded_chinese_file_is_read_as_gb18030_or_as_the_encoding_chosen()
    {
        var bytes = Encoding.GetEncoding("gb18030").GetBytes("姓名,手机,城市\r\n王小明,13800138000,北京\r\n李雷,13900139000,上海\r\n");
        string[] expected = ["2: 王小明 | 13800138000 | 北京", "3: 李雷 | 13900139000 | 上海"];

        using (var detected = Open(bytes, new TabularOptions(Encoding: " ")))
        {
            Assert.Equal("gb18030", detected.DetectedEncoding);
            Assert.Equal(["姓名", "手机", "城市"], detected.Headers);
            Assert.Equal(expected, Rows(detected));
        }

        using var chosen = Open(bytes, new TabularOptions(Encoding: "GBK"));
        Assert.Equal("gbk", chosen.DetectedEncoding);
        Assert.Equal(expected, Rows(chosen));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_file_with_a_byte_order_mark_is_read_in_its_byte_order(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        using var reader = Open([.. encoding.GetPreamble(), .. encoding.GetBytes("名字\tEmail\r\n小明\txm@example.cn\r\n")]);

        Assert.Equal(bigEndian ? "utf-16be" : "utf-16", reader.DetectedEncoding);
        Assert.Equal('\t', reader.DetectedDelimiter);
        Assert.Equal(["名字", "Email"], reader.Headers);
        Assert.Equal(["2: 小明 | xm@example.cn"], Rows(reader));
    }

    [Fact]
    public void Utf8_sequence_cut_by_the_detection_sample_does_not_make_the_file_gb18030()
    {
        // Each data line is 10 bytes (three 3-byte characters and a line feed); the header's length makes the 64 KB
        // sample end one byte into a character.
        var header = "Name" + new string('x', 10) + "\n";
        Assert.Equal(1, (65536 - header.Length) % 10);
        var text = new StringBuilder(header);
        for (var i = 0; i < 8000; i++)
        {
            text.Append("王小明\n");
        }

        using var reader = Open(Encoding.UTF8.GetBytes(text.ToString()));

        Assert.Equal("utf-8", reader.DetectedEncoding);
        var rows = Rows(reader);
        Assert.Equal(8000, rows.Count);
        Assert.Equal("8001: 王小明", rows[^1]);
        Assert.DoesNotContain(rows, r => !r.EndsWith(": 王小明", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_that_is_neither_utf8_nor_gb18030_is_read_as_windows_1252()
    {
        using var reader = Open(Encoding.GetEncoding(1252).GetBytes("Name,City\nCafé Müller,Zürich\n"));

        Assert.Equal("windows-1252", reader.DetectedEncoding);
        Assert.Equal(["2: Café Müller | Zürich"], Rows(reader));
    }

    [Fact]
    public void Unknown_encoding_name_is_a_clear_error()
    {
        var error = Assert.Throws<TabularFileException>(() => Open("a,b\n1,2\n"u8.ToArray(), new TabularOptions(Encoding: "klingon")));

        Assert.Equal(TabularFileError.UnknownEncoding, error.Error);
        Assert.Contains("klingon", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b\n\n1,2\n,\n   \n3,4\n\n\n")]
    [InlineData("a,b\r\n\r\n1,2\r\n,\r\n   \r\n3,4\r\n\r\n")]
    [InlineData("a,b\r\r1,2\r,\r   \r3,4")]
    public void Empty_lines_are_skipped_but_keep_their_row_numbers(string text)
    {
        using var reader = Csv(text);

        Assert.Equal(["3: 1 | 2", "6: 3 | 4"], Rows(reader));
    }

    [Fact]
    public void Ragged_rows_are_padded_with_null_and_cut_to_the_headers()
    {
        using var reader = Csv("a,b,c\n1\n1,2,3,4\n1,2,3,,\n1,2,3\n");

        Assert.True(reader.Read());
        Assert.Equal(["1", null, null], reader.Values);
        Assert.False(reader.RaggedExtra);
        Assert.True(reader.Read());
        Assert.Equal(["1", "2", "3"], reader.Values);
        Assert.True(reader.RaggedExtra);
        Assert.True(reader.Read());
        Assert.False(reader.RaggedExtra, "extra cells that are blank are not data");
        Assert.True(reader.Read());
        Assert.Equal(["1", "2", "3"], reader.Values);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Two_hundred_columns_are_read()
    {
        var headers = Enumerable.Range(1, 200).Select(i => $"Field {i}");
        var row = Enumerable.Range(1, 200).Select(i => $"value {i}");
        using var reader = Csv(string.Join(',', headers) + "\n" + string.Join(',', row) + "\n");

        Assert.Equal(200, reader.Headers.Count);
        Assert.Equal("Field 200", reader.Headers[199]);
        Assert.True(reader.Read());
        Assert.Equal(200, reader.Values.Count);
        Assert.Equal("value 200", reader.Values[199]);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Each_common_delimiter_is_detected_when_the_others_appear_in_the_text(char delimiter)
    {
        var text = $"Name{delimiter}Address{delimiter}Note\n"
            + $"Wang{delimiter}\"1 Main St, Apt 2; rear|b\"{delimiter}\"tab\there\"\n"
            + $"Li{delimiter}\"x{delimiter}y\"{delimiter}a b";
        using var reader = Csv(text);

        Assert.Equal(delimiter, reader.DetectedDelimiter);
        Assert.Equal(["Name", "Address", "Note"], reader.Headers);
        Assert.Equal(["2: Wang | 1 Main St, Apt 2; rear|b | tab\there", $"3: Li | x{delimiter}y | a b"], Rows(reader));
    }

    [Fact]
    public void Excel_separator_line_names_the_delimiter_and_is_not_the_header()
    {
        using var reader = Csv("sep=;\r\nName;Note\r\nWang;a, b, c, d\r\n");

        Assert.Equal(';', reader.DetectedDelimiter);
        Assert.Equal(["Name", "Note"], reader.Headers);
        Assert.Equal(["3: Wang | a, b, c, d"], Rows(reader));
    }

    [Fact]
    public void Chosen_delimiter_wins_over_detection()
    {
        using var reader = Csv("a;b,c\n1;2,3\n", new TabularOptions(Delimiter: ','));

        Assert.Equal(["a;b", "c"], reader.Headers);
    }

    [Fact]
    public void Excel_formula_quoting_keeps_leading_zeros_as_text()
    {
        using var reader = Csv("Phone,Zip,Other\n\"=\"\"0123456\"\"\",=\"00501\",\"=\"\"a\"\"&B1\"\n");

        Assert.True(reader.Read());
        Assert.Equal(["0123456", "00501", "=\"a\"&B1"], reader.Values);
    }

    [Fact]
    public void Blank_and_repeated_headers_get_names_and_trailing_blank_headers_are_no_columns()
    {
        using var reader = Csv("Email, ,email,Name,Email,,\n1,2,3,4,5,,\n");

        Assert.Equal(["Email", "Column 2", "email (2)", "Name", "Email (3)"], reader.Headers);
        Assert.True(reader.Read());
        Assert.False(reader.RaggedExtra);
    }

    [Fact]
    public void Without_a_header_row_columns_are_numbered_and_the_first_line_is_data()
    {
        using var reader = Csv("1,2\n3,4,5\n", new TabularOptions(HasHeaderRow: false));

        Assert.Equal(["Column 1", "Column 2", "Column 3"], reader.Headers);
        Assert.Equal(["1: 1 | 2 | ∅", "2: 3 | 4 | 5"], Rows(reader));
    }

    [Fact]
    public void Header_only_file_has_headers_and_no_rows()
    {
        using var reader = Csv("Name,Email\r\n\r\n");

        Assert.Equal(["Name", "Email"], reader.Headers);
        Assert.False(reader.Read());
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("", true)]
    [InlineData("\r\n\r\n , ,\n", false)]
    public void Empty_file_is_a_clear_error(string text, bool bom)
    {
        var error = Assert.Throws<TabularFileException>(() => Csv(text, bom: bom));

        Assert.Equal(TabularFileError.Empty, error.Error);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Megabyte_cell_is_read_whole()
    {
        var big = string.Concat(Enumerable.Repeat("0123456789,\r\n\"\"", 1024 * 1024 / 16));
        using var reader = Csv($"Note,Id\n\"{big}\",7\n");

        Assert.True(reader.Read());
        Assert.Equal(big.Replace("\"\"", "\"", StringComparison.Ordinal).Trim(), reader.Values[0]);
        Assert.Equal("7", reader.Values[1]);
    }

    [Fact]
    public void Quote_never_closed_in_a_huge_file_is_a_clear_error_not_a_memory_blowup()
    {
        var text = "Note,Id\n\"never closed," + new string('x', TabularReader.MaxRowChars + 1000) + "\n";
        using var reader = Csv(text);

        var error = Assert.Throws<TabularFileException>(() => reader.Read());

        Assert.Equal(TabularFileError.RowTooLarge, error.Error);
        Assert.Equal(2, error.RowNumber);
    }

    [Theory]
    [InlineData("contacts.xlsx", "PK\u0003\u0004", TabularFormat.Xlsx)]
    [InlineData("download", "PK\u0003\u0004", TabularFormat.Xlsx)]
    [InlineData("contacts.csv", "Name,Email", TabularFormat.Csv)]
    [InlineData("contacts.TSV", "Name\tEmail", TabularFormat.Csv)]
    [InlineData("export", "Name;Email", TabularFormat.Csv)]
    [InlineData("contacts.xls", "\u00d0\u00cf\u0011\u00e0", null)]
    [InlineData("contacts.xlsx", "Name,Email", null)]
    [InlineData("cards.vcf", "BEGIN:VCARD", null)]
    [InlineData("cards", "BEGIN:VCARD", null)]
    [InlineData("report", "<html><table>", null)]
    [InlineData("image.png", "\u0089PNG\r\n\u001a\n\u0000\u0000", null)]
    public void Format_is_detected_from_the_name_and_first_bytes(string fileName, string head, TabularFormat? expected)
    {
        Assert.Equal(expected, TabularReader.DetectFormat(fileName, Encoding.Latin1.GetBytes(head)));
    }

    [Fact]
    public void Utf16_text_is_csv_by_its_first_bytes()
    {
        Assert.Equal(TabularFormat.Csv, TabularReader.DetectFormat("data.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a,b")]));
        Assert.Equal(TabularFormat.Csv, TabularReader.DetectFormat("data.txt", Encoding.Unicode.GetBytes("Name,Email\r\n")));
    }

    [Fact]
    public void Xlsx_round_trip_keeps_chinese_text_big_numbers_and_dates()
    {
        var bytes = Workbook(
            new Dictionary<string, object?> { ["姓名"] = " 王小明 ", ["手机"] = 13800138000L, ["生日"] = new DateTime(1990, 5, 17), ["创建时间"] = new DateTime(2024, 1, 2, 3, 4, 5), ["金额"] = 12.5m, ["编号"] = 1e15, ["比例"] = 0.00001, ["VIP"] = true },
            new Dictionary<string, object?> { ["姓名"] = null, ["手机"] = null, ["生日"] = null, ["创建时间"] = null, ["金额"] = null, ["编号"] = null, ["比例"] = null, ["VIP"] = null },
            new Dictionary<string, object?> { ["姓名"] = "李雷", ["手机"] = "0086 139", ["生日"] = null, ["创建时间"] = null, ["金额"] = -3, ["编号"] = 123456789012345L, ["比例"] = null, ["VIP"] = false });
        using var reader = TabularReader.Open(new MemoryStream(bytes), TabularFormat.Xlsx);

        Assert.Equal(["姓名", "手机", "生日", "创建时间", "金额", "编号", "比例", "VIP"], reader.Headers);
        Assert.Null(reader.DetectedEncoding);
        Assert.Equal(
            [
                "2: 王小明 | 13800138000 | 1990-05-17 | 2024-01-02T03:04:05 | 12.5 | 1000000000000000 | 0.00001 | true",
                "4: 李雷 | 0086 139 |  |  | -3 | 123456789012345 |  | false",
            ],
            Rows(reader));
        Assert.Equal(reader.TotalBytes, reader.BytesRead);
    }

    [Fact]
    public void Xlsx_rows_left_out_of_the_sheet_still_count_in_row_numbers()
    {
        // Excel writes no element for an empty row: move the last row from sheet row 3 to sheet row 6.
        var bytes = Workbook(new Dictionary<string, object?> { ["Name"] = "a", ["City"] = "x" }, new Dictionary<string, object?> { ["Name"] = "b", ["City"] = "y" });
        bytes = RewriteSheet(bytes, xml => Regex.Replace(xml, "r=\"([A-Z]*)3\"", "r=\"${1}6\""));
        using var reader = TabularReader.Open(new MemoryStream(bytes), TabularFormat.Xlsx);

        Assert.Equal(["2: a | x", "6: b | y"], Rows(reader));
    }

    [Fact]
    public void Xlsx_without_data_rows_has_headers_only_and_an_empty_one_is_a_clear_error()
    {
        var workbook = Workbook(new Dictionary<string, object?> { ["Name"] = "a" });
        var headerOnly = RewriteSheet(workbook, xml => Regex.Replace(xml, "<x:row r=\"2\">.*?</x:row>", ""));
        using (var reader = TabularReader.Open(new MemoryStream(headerOnly), TabularFormat.Xlsx))
        {
            Assert.Equal(["Name"], reader.Headers);
            Assert.False(reader.Read());
        }

        var empty = RewriteSheet(workbook, xml => Regex.Replace(xml, "<x:row r=.*</x:row>", ""));
        Assert.Equal(TabularFileError.Empty, Assert.Throws<TabularFileException>(() => TabularReader.Open(new MemoryStream(empty), TabularFormat.Xlsx)).Error);
    }

    [Fact]
    public void File_that_is_no_workbook_is_a_clear_error()
    {
        var error = Assert.Throws<TabularFileException>(() => TabularReader.Open(new MemoryStream("Name,Email\n"u8.ToArray()), TabularFormat.Xlsx));

        Assert.Equal(TabularFileError.NotAWorkbook, error.Error);
        Assert.Contains(".xlsx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_of_100k_rows_streams_with_flat_memory()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(true)))
            {
                writer.Write("First name,Last name,Email,Phone,Company,Note\r\n");
                for (var i = 0; i < 100_000; i++)
                {
                    writer.Write($"小明{i},王,xm{i}@example.cn,+86 138 0013 {i:D4},\"Acme, Inc. {i % 100}\",\"a note that is long enough to matter {i}\"\r\n");
                }
            }

            using var file = File.OpenRead(path);
            AssertStreamsFlat(TabularReader.Open(file, TabularFormat.Csv), 100_000, maxBytesPerRow: 4 * 1024);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Xlsx_of_100k_rows_streams_with_flat_memory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rapport-{Guid.NewGuid():N}.xlsx");
        try
        {
            MiniExcel.SaveAs(path, Enumerable.Range(0, 100_000).Select(i => new Dictionary<string, object?>
            {
                ["First name"] = $"小明{i}", ["Last name"] = "王", ["Email"] = $"xm{i}@example.cn", ["Phone"] = 13800000000L + i, ["Company"] = $"Acme {i % 100}",
            }));

            using var file = File.OpenRead(path);
            AssertStreamsFlat(TabularReader.Open(file, TabularFormat.Xlsx), 100_000, maxBytesPerRow: 32 * 1024);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reads every row; memory held at the end may not exceed what was held after the first thousand rows by
    /// more than a little (a reader keeping rows would hold tens of megabytes), and each row allocates a bounded amount
    /// (seen here: about 1 KB per CSV row, 6 KB per XLSX row through MiniExcel).</summary>
    private static void AssertStreamsFlat(TabularReader reader, int rows, long maxBytesPerRow)
    {
        using (reader)
        {
            var read = 0;
            long early = 0, allocatedEarly = 0;
            var progress = new List<long>();
            while (reader.Read())
            {
                read++;
                Assert.Equal(read + 1, reader.RowNumber);
                if (read == 1000)
                {
                    early = GC.GetTotalMemory(forceFullCollection: true);
                    allocatedEarly = GC.GetAllocatedBytesForCurrentThread();
                }

                if (read % 10_000 == 0)
                {
                    progress.Add(reader.BytesRead);
                }
            }

            var allocatedPerRow = (GC.GetAllocatedBytesForCurrentThread() - allocatedEarly) / (rows - 1000);
            var late = GC.GetTotalMemory(forceFullCollection: true);

            Assert.Equal(rows, read);
            Assert.True(late - early < 4 * 1024 * 1024, $"memory grew by {(late - early) / 1024} KB while reading");
            Assert.True(allocatedPerRow < maxBytesPerRow, $"{allocatedPerRow} bytes allocated per row");
            Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First <= p.Second) && progress[^1] > 0, "progress moves forward");
            Assert.Equal(reader.TotalBytes, reader.BytesRead);
        }
    }

    private static TabularReader Csv(string text, TabularOptions? options = null, bool bom = false) =>
        Open([.. bom ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text)], options);

    private static TabularReader Open(byte[] bytes, TabularOptions? options = null) =>
        TabularReader.Open(new MemoryStream(bytes), TabularFormat.Csv, options);

    /// <summary>Every remaining row as "row number: cell | cell", a missing cell as ∅.</summary>
    private static List<string> Rows(TabularReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
        {
            Assert.Equal(reader.Headers.Count, reader.Values.Count);
            rows.Add($"{reader.RowNumber}: {string.Join(" | ", reader.Values.Select(v => v ?? "∅"))}");
        }

        return rows;
    }

    private static byte[] Workbook(params Dictionary<string, object?>[] rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        return stream.ToArray();
    }

    private static byte[] RewriteSheet(byte[] workbook, Func<string, string> change)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open(), new UTF8Encoding(false));
            writer.Write(change(xml));
        }

        return stream.ToArray();
    }
}
