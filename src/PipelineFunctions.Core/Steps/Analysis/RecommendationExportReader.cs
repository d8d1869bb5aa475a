using System.Text.Json.Serialization;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Steps.Analysis;

/// <summary>
/// Reads step 4's exports (recommendations.json and control/recommendations_control.json) by its manifest, each checked
/// against the hash the manifest recorded. Only what the analysis needs is kept: agenda order, strategy, returning or not.
/// </summary>
public static class RecommendationExportReader
{
    public static async Task<ExportedGroups> ReadAsync(IArtifactStore store, ArtifactManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Step != RecommendationStep.StepName)
            throw new PipelineInputException(manifest.RunId, $"is a manifest of step {manifest.Step}, not of step {RecommendationStep.StepName}");
        return new ExportedGroups(await ReadOneAsync(store, manifest, RecommendationStep.RecommendationsJson, cancellationToken),
            await ReadOneAsync(store, manifest, RecommendationStep.ControlJson, cancellationToken));
    }

    private static async Task<IReadOnlyList<AnalysedAgenda>> ReadOneAsync(IArtifactStore store, ArtifactManifest manifest, string name,
        CancellationToken cancellationToken)
    {
        var output = manifest.Outputs.FirstOrDefault(o => o.Name == name)
            ?? throw new PipelineInputException($"runs/{manifest.Event}/{manifest.RunId}/{manifest.Step}/{ArtifactManifest.FileName}",
                $"lists no output {name}: the run's step 4 wrote no such export");
        var export = await ArtifactReader.ReadJsonAsync<ExportFile>(store, output, cancellationToken);
        return (export.Recommendations ?? []).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new AnalysedAgenda(r.Key,
                r.Value.Metadata?.GenerationStrategy ?? "",
                r.Value.Visitor?.GetValueOrDefault("assist_year_before") == "1",
                (r.Value.FilteredRecommendations ?? []).Select(i => i.SessionId ?? "").Where(id => id.Length > 0).ToList()))
            .ToList();
    }

    // Only the fields read; the rest of the export is skipped by the deserializer.
    private sealed class ExportFile
    {
        [JsonPropertyName("recommendations")] public Dictionary<string, ExportEntry>? Recommendations { get; init; }
    }

    private sealed class ExportEntry
    {
        [JsonPropertyName("visitor")] public Dictionary<string, string>? Visitor { get; init; }
        [JsonPropertyName("filtered_recommendations")] public List<ExportItem>? FilteredRecommendations { get; init; }
        [JsonPropertyName("metadata")] public ExportMetadata? Metadata { get; init; }
    }

    private sealed class ExportItem
    {
        [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    }

    private sealed class ExportMetadata
    {
        [JsonPropertyName("generation_strategy")] public string? GenerationStrategy { get; init; }
    }
}
