using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// Reads a CSV export with CsvHelper's RFC 4180 parser and hands out records by column name.
/// Accepts a UTF-8 BOM and CRLF; rejects invalid UTF-8, an empty file, a missing or duplicated
/// required column and a record whose field count differs from the header, naming file, line and field.
/// Row numbers are the line numbers a user sees in an editor (the header is line 1).
/// </summary>
internal sealed class CsvInput : IDisposable
{
    /// <summary>A single field larger than this is refused rather than held in memory.</summary>
    public const int MaxFieldLength = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StreamReader _reader;
    private readonly CsvParser _parser;
    private readonly Dictionary<string, int> _columns;
    private readonly int _headerLength;

    private CsvInput(string fileName, StreamReader reader, CsvParser parser, string[] header)
    {
        FileName = fileName;
        _reader = reader;
        _parser = parser;
        _headerLength = header.Length;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (name.Length > 0 && !_columns.TryAdd(name, i))
                throw new PipelineInputException(fileName, "the header names this column twice", row: 1, field: name);
        }
        Header = header;
    }

    public string FileName { get; }
    public IReadOnlyList<string> Header { get; }

    /// <summary>Line number of the current record (the header is line 1).</summary>
    public long Row { get; private set; } = 1;

    /// <summary>Opens the CSV and checks its header has every required column.</summary>
    public static CsvInput Open(Stream stream, string fileName, params string[] requiredColumns)
    {
        var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null, // stray quotes inside unquoted fields are kept as text, as spreadsheet exports do
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            MaxFieldSize = MaxFieldLength,
            // Badge ids, short names, dates and file names repeat across a scan file's million rows: one string per distinct value.
            CacheFields = true,
        };
        var parser = new CsvParser(reader, configuration);
        string[] header;
        try
        {
            if (!parser.Read())
                throw new PipelineInputException(fileName, "the file is empty (expected a header line)");
            header = parser.Record!;
            if (header.Length > 0) header[0] = header[0].TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvHelperException)
        {
            reader.Dispose();
            throw Translate(fileName, 1, e);
        }
        var input = new CsvInput(fileName, reader, parser, header);
        var missing = requiredColumns.Where(c => !input.HasColumn(c)).ToList();
        if (missing.Count > 0)
        {
            input.Dispose();
            var hint = header.Length == 1 && (header[0].Contains(';') || header[0].Contains('\t'))
                ? " (the header has one column only: is the file delimited by ';' or tabs instead of ','?)"
                : "";
            throw new PipelineInputException(fileName,
                $"missing required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}; " +
                $"the header has: {string.Join(", ", header.Select(h => $"'{h}'"))}{hint}",
                row: 1);
        }
        return input;
    }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>Index of the first of the given column names present in the header, or -1.</summary>
    public int ColumnIndex(params string[] candidates)
    {
        foreach (var candidate in candidates)
            if (_columns.TryGetValue(candidate, out var index)) return index;
        return -1;
    }

    public bool Read()
    {
        try
        {
            if (!_parser.Read()) return false;
            Row = _parser.RawRow;
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvHelperException)
        {
            throw Translate(FileName, _parser.RawRow, e);
        }
        // The fields are taken from the parser one by one as they are asked for: no array of the whole record per row.
        var count = _parser.Count;
        if (count != _headerLength)
        {
            // A lone empty field is what a trailing blank line with whitespace gives: skip it.
            if (count == 1 && string.IsNullOrWhiteSpace(_parser[0])) return Read();
            throw new PipelineInputException(FileName, $"the record has {count} fields but the header has {_headerLength}", row: Row);
        }
        return true;
    }

    /// <summary>The current record's value of a column, trimmed; "" when the column is absent.</summary>
    public string Get(string column) => _columns.TryGetValue(column, out var i) ? _parser[i]!.Trim() : "";

    public string Get(int index) => index < 0 ? "" : _parser[index]!.Trim();

    private static PipelineInputException Translate(string fileName, long row, Exception e) => e switch
    {
        DecoderFallbackException => new PipelineInputException(fileName, "the file is not valid UTF-8 text", row: row, inner: e),
        MaxFieldSizeException => new PipelineInputException(fileName, $"a field is longer than {MaxFieldLength} characters", row: row, inner: e),
        _ => new PipelineInputException(fileName, $"not readable as CSV: {FirstLine(e.Message)}", row: row, inner: e),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }
}
