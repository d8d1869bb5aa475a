namespace PipelineFunctions.ShowGenerator;

/// <summary>One row of the scan reference: a session's short name and its seminar name (title, sometimes typed differently).</summary>
internal sealed record ScanReferenceRow(string ShortName, string SeminarName);
