namespace PipelineFunctions.Core.Artifacts;

/// <summary>
/// What a step consumed and published: the record activities pass between steps (URIs and hashes, never rows).
/// Written last, so its presence means every output it lists is complete.
/// </summary>
public sealed record ArtifactManifest(
    string Step,
    string Event,
    string RunId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ManifestInput> Inputs,
    IReadOnlyList<ManifestOutput> Outputs)
{
    public const string FileName = "manifest.json";

    public ManifestOutput Output(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"manifest of step {Step} has no output '{name}'");
}
