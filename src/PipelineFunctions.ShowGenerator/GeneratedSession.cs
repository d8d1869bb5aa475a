namespace PipelineFunctions.ShowGenerator;

/// <summary>One row of a session export.</summary>
/// <param name="Topics">The <see cref="SessionTopic"/> ids the session treats (its main topic first); none for blank and placeholder titles.</param>
internal sealed record GeneratedSession(
    string SessionId, int Day, DateOnly Date, TimeOnly Start, TimeOnly End, Theatre Theatre, string Title,
    IReadOnlyList<string> Streams, string Synopsis, bool Sponsored, string SponsoredBy, string ShortName,
    SessionKind Kind, double Popularity, IReadOnlyList<int> Topics)
{
    /// <summary>Visitors are scanned into regular sessions and repeats (which the importer maps to the first run by title).</summary>
    public bool Attendable => Kind is SessionKind.Regular or SessionKind.Repeat;

    public bool Overlaps(GeneratedSession other) => Date == other.Date && Start < other.End && other.Start < End;
}
