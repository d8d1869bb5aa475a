namespace PipelineFunctions.Core.Reporting;

/// <summary>How many visitors got an agenda of this many sessions (0: none).</summary>
public sealed record AgendaLengthCount(int Sessions, long Visitors);
