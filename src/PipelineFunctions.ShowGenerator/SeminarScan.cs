namespace PipelineFunctions.ShowGenerator;

/// <summary>One seminar scan: a badge scanned at a session's door.</summary>
internal sealed record SeminarScan(string BadgeId, string ShortName, DateTime ScanDate, string File);
