namespace PipelineFunctions.Core;

/// <summary>
/// The one exception type for errors a user can cause (bad config, missing or malformed input).
/// Its message names the file and, where they apply, the row and field, so hosts print it as is
/// and never show a stack trace.
/// </summary>
public sealed class PipelineInputException : Exception
{
    public PipelineInputException(string file, string problem, long? row = null, string? field = null, Exception? inner = null)
        : base(Format(file, problem, row, field), inner)
    {
        File = file;
        Row = row;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file (or config path / artifact URI) the problem is in.</summary>
    public string File { get; }

    /// <summary>1-based data row (CSV: line of the record; JSON: array element) when it applies.</summary>
    public long? Row { get; }

    public string? Field { get; }

    public string Problem { get; }

    private static string Format(string file, string problem, long? row, string? field)
    {
        var where = file;
        if (row is not null) where += $", row {row}";
        if (field is not null) where += $", field '{field}'";
        return $"{where}: {problem}";
    }
}
