namespace PipelineFunctions.Core.Steps.Recommendations;

public sealed record AssemblyResult(IReadOnlyList<Agenda> Agendas, AssemblyStatistics Statistics);
