namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>One attended past session: the visitor's badge at that show and the matched session.</summary>
public sealed record AttendedSession(string BadgeId, string SessionId, string KeyText, string SeminarName, DateTime? ScanDate, string SourceFile);
