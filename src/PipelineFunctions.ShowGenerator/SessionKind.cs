namespace PipelineFunctions.ShowGenerator;

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
