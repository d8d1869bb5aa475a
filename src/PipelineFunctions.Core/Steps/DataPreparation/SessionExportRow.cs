namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A row of a session export, as text; parsing of dates and times happens in the processor.</summary>
internal sealed record SessionExportRow(
    string File, long Row, string SessionId, string Date, string StartTime, string EndTime, string Theatre,
    string Title, string Stream, string Synopsis, string SponsoredSession, string SponsoredBy);
