namespace PipelineFunctions.ShowGenerator;

/// <summary>The seminar programme of one show.</summary>
internal sealed record SessionProgramme(ShowPlan Show, IReadOnlyList<Theatre> Theatres, IReadOnlyList<GeneratedSession> Sessions);
