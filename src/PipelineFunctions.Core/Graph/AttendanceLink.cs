namespace PipelineFunctions.Core.Graph;

/// <summary>(Visitor_last_year_X)-[:attended_session {scan_date, file, seminar_name}]->(Sessions_past_year).</summary>
public sealed record AttendanceLink(string BadgeId, string SessionId, string ScanDate, string File, string SeminarName);
