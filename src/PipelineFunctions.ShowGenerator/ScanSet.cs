namespace PipelineFunctions.ShowGenerator;

/// <summary>A past show's scans and scan reference.</summary>
/// <param name="TopicsAttended">Person id -> the topics of the sessions they attended, which they favour at a later show.</param>
internal sealed record ScanSet(IReadOnlyList<SeminarScan> Scans, IReadOnlyList<ScanReferenceRow> Reference,
    IReadOnlyDictionary<int, IReadOnlyList<int>> TopicsAttended);
