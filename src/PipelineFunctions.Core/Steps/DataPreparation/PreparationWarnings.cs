namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>
/// Tolerated input problems (duplicate badge ids, unknown show refs, rows missing a name...). They do not
/// fail the run; they are counted per kind and file, with the first few rows as examples, in the step metadata.
/// </summary>
public sealed class PreparationWarnings
{
    public const int ExamplesPerWarning = 5;

    private readonly Dictionary<(string Code, string File), Entry> _entries = [];
    private readonly List<(string Code, string File)> _order = [];

    public void Add(string code, string file, string message, long? row = null, string? field = null, string? value = null)
    {
        var key = (code, file);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(message);
            _entries.Add(key, entry);
            _order.Add(key);
        }
        entry.Count++;
        if (entry.Examples.Count < ExamplesPerWarning)
            entry.Examples.Add(new PreparationWarningExample(row, field, value is { Length: > 80 } ? value[..80] + "…" : value));
    }

    public int Count(string code) => _entries.Where(e => e.Key.Code == code).Sum(e => e.Value.Count);

    public IReadOnlyList<PreparationWarning> ToList() =>
        _order.Select(k => new PreparationWarning(k.Code, k.File, _entries[k].Message, _entries[k].Count, _entries[k].Examples)).ToList();

    private sealed class Entry(string message)
    {
        public string Message { get; } = message;
        public int Count { get; set; }
        public List<PreparationWarningExample> Examples { get; } = [];
    }
}

public sealed record PreparationWarning(string Code, string File, string Message, int Count, IReadOnlyList<PreparationWarningExample> Examples);

public sealed record PreparationWarningExample(long? Row, string? Field, string? Value);

/// <summary>Warning codes, stable so scripts can look for them.</summary>
public static class WarningCodes
{
    public const string MissingIdentity = "missing_email_or_name";
    public const string DuplicateBadgeId = "duplicate_badge_id";
    public const string UnknownShowRef = "unknown_show_ref";
    public const string ShowRefFromSource = "show_ref_from_source";
    public const string MissingRegistrationDate = "missing_registration_date";
    public const string DuplicateSessionId = "duplicate_session_id";
    public const string UnknownScanShortName = "scan_short_name_not_in_reference";
    public const string UnmatchedSeminar = "seminar_not_in_session_export";
    public const string DuplicateShortName = "duplicate_short_name";
    public const string EmptyInput = "empty_input";
}
