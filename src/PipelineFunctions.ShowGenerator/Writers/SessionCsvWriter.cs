namespace PipelineFunctions.ShowGenerator.Writers;

/// <summary>A session export CSV, one row per session in session_id order; streams joined with "; ".</summary>
internal static class SessionCsvWriter
{
    public static readonly IReadOnlyList<string> Header =
    [
        "session_id", "date", "start_time", "end_time", "theatre__name", "title", "stream", "synopsis_stripped", "sponsored_session",
        "sponsored_by",
    ];

    public const string StreamSeparator = "; ";

    public static long Write(string path, SessionProgramme programme)
    {
        using var csv = OutputFormat.Csv(path);
        OutputFormat.WriteHeader(csv, Header);
        foreach (var s in programme.Sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal))
            OutputFormat.WriteRecord(csv, s.SessionId, OutputFormat.Format(s.Date), OutputFormat.Format(s.Start), OutputFormat.Format(s.End),
                s.Theatre.Name, s.Title, string.Join(StreamSeparator, s.Streams), s.Synopsis, s.Sponsored ? "Yes" : "No", s.SponsoredBy);
        return programme.Sessions.Count;
    }
}
