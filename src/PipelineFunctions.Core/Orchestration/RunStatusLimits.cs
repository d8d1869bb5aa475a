namespace PipelineFunctions.Core.Orchestration;

/// <summary>
/// Durable's limits on what an orchestration records, and the caps the pipeline keeps under them. Custom status is
/// capped at 16 KB counted as UTF-16 (8,192 characters); messages over about 60 KB are moved to blob storage, which
/// makes every replay slower, so the pipeline's messages stay far below.
/// </summary>
public static class RunStatusLimits
{
    public const int CustomStatusCharacters = 8_192;

    public const int MessageCharacters = 60 * 1024;

    /// <summary>
    /// What any activity input or output, and the custom status, must stay under as serialized (UTF-8 bytes): only URIs,
    /// hashes, counts and parameters cross activity boundaries, so history and queue messages stay small at any show size.
    /// </summary>
    public const int ActivityMessageBytes = 16 * 1024;

    /// <summary>A failed run's error in its custom status; the whole error is in the summary artifact.</summary>
    public const int ErrorCharacters = 1_000;

    /// <summary>An error carried in a run summary (an activity's exception message can be arbitrarily long).</summary>
    public const int SummaryErrorCharacters = 4_000;

    /// <summary>The text cut to at most <paramref name="characters"/>, saying so when it was cut.</summary>
    public static string? Cut(string? text, int characters)
    {
        const string marker = " [cut]";
        if (text is null || text.Length <= characters) return text;
        return string.Concat(text.AsSpan(0, characters - marker.Length), marker);
    }
}
