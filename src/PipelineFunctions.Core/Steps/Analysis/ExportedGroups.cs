namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>Step 4's two exports: the agendas sent (treatment) and those computed but withheld (control).</summary>
public sealed record ExportedGroups(IReadOnlyList<AnalysedAgenda> Treatment, IReadOnlyList<AnalysedAgenda> Control);
