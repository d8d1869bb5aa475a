namespace PipelineFunctions.ShowGenerator;

/// <summary>A past show's scans and scan reference.</summary>
internal sealed record ScanSet(IReadOnlyList<SeminarScan> Scans, IReadOnlyList<ScanReferenceRow> Reference);
