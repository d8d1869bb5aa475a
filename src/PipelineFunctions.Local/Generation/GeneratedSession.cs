namespace PipelineFunctions.Local.Generation;

/// <summary>What a session row is: a real session, or one of the planted quirks.</summary>
internal enum SessionKind
{
    Regular,
    /// <summary>Title left blank (the importer quarantines it).</summary>
    BlankTitle,
    /// <summary>A placeholder title from the config's titles_to_remove, in varying case.</summary>
    Placeholder,
    /// <summary>An exact copy of an earlier session (same title), with its own id and a later time.</summary>
    Repeat,
}

/// <summary>A seminar theatre: number 1 is the main one; each has a home stream most of its sessions belong to.</summary>
internal sealed record Theatre(int Number, string Name, string HomeStream, int Capacity);

/// <summary>One row of a session export.</summary>
internal sealed record GeneratedSession(
    string SessionId, int Day, DateOnly Date, TimeOnly Start, TimeOnly End, Theatre Theatre, string Title,
    IReadOnlyList<string> Streams, string Synopsis, bool Sponsored, string SponsoredBy, string ShortName,
    SessionKind Kind, double Popularity)
{
    /// <summary>Visitors are scanned into regular sessions and repeats (which the importer maps to the first run by title).</summary>
    public bool Attendable => Kind is SessionKind.Regular or SessionKind.Repeat;

    public bool Overlaps(GeneratedSession other) => Date == other.Date && Start < other.End && other.Start < End;
}

/// <summary>The seminar programme of one show.</summary>
internal sealed record SessionProgramme(ShowPlan Show, IReadOnlyList<Theatre> Theatres, IReadOnlyList<GeneratedSession> Sessions);
