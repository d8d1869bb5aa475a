namespace PipelineFunctions.Core.Steps.Recommendations;

/// <param name="Agendas">One per visitor, in badge id order.</param>
/// <param name="Exhausted">Per agenda: every candidate was looked at and the agenda is still below the cap.</param>
/// <param name="DeepestRead">The most candidates looked at for any one visitor (the assembler never reads further).</param>
internal sealed record AssemblyResult(IReadOnlyList<Agenda> Agendas, AssemblyStatistics Statistics, IReadOnlyList<bool> Exhausted, int DeepestRead);
