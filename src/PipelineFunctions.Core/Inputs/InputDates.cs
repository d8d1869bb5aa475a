using System.Globalization;

namespace PipelineFunctions.Core.Inputs;

/// <summary>
/// The date and time forms the exports use. Anything else is rejected rather than guessed:
/// 03/04/2025 could be March or April, and a wrong guess corrupts Days_since_registration silently.
/// </summary>
internal static class InputDates
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    private static readonly string[] TimeFormats = ["HH:mm", "H:mm", "HH:mm:ss", "H:mm:ss"];

    public const string AcceptedDateTimes = "yyyy-MM-dd HH:mm:ss, yyyy-MM-ddTHH:mm:ss (optionally with fraction and offset) or yyyy-MM-dd";
    public const string AcceptedDates = "yyyy-MM-dd";
    public const string AcceptedTimes = "HH:mm or HH:mm:ss";

    public static bool TryParseDateTime(string text, out DateTime value)
    {
        if (DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            // Offsets are honoured but the wall-clock time of the show's own zone is what matters for day counts.
            value = parsed.Offset == TimeSpan.Zero ? parsed.UtcDateTime : parsed.DateTime;
            return true;
        }
        value = default;
        return false;
    }

    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static bool TryParseTime(string text, out TimeOnly value) =>
        TimeOnly.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static string Format(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    public static string Format(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string Format(TimeOnly value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);
}
