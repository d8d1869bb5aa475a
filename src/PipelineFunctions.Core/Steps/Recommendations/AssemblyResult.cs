namespace PipelineFunctions.Core.Steps.Recommendations;

internal sealed record AssemblyResult(IReadOnlyList<Agenda> Agendas, AssemblyStatistics Statistics);
