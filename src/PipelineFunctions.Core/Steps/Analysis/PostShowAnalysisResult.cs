using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <param name="Metrics">Headline counts (group sizes, scans read, matched and skipped) for run summaries.</param>
/// <param name="Warnings">Tolerated input problems (scans of unknown badges, short names or seminars), counted.</param>
public sealed record PostShowAnalysisResult(
    Uri ManifestUri, ArtifactManifest Manifest, Uri AnalysisJson, Uri AnalysisCsv, IReadOnlyDictionary<string, long> Metrics,
    IReadOnlyList<PreparationWarning> Warnings, AnalysisReport Report);
