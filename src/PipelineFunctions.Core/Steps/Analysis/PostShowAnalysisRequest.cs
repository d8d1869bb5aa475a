using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <param name="Inputs">Where this year's scans are: the same input store step 1 reads.</param>
/// <param name="Store">The run store.</param>
/// <param name="RunId">The run whose folder receives the analysis.</param>
/// <param name="RecommendationsManifest">Step 4's manifest (a URI in <paramref name="Store"/>) whose exports are analysed; an earlier
/// run's when step 4 was reused.</param>
public sealed record PostShowAnalysisRequest(EventConfig Config, IArtifactStore Inputs, IArtifactStore Store, string RunId,
    Uri RecommendationsManifest);
