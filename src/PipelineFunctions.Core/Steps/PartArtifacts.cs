using System.Text.Json;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps;

/// <summary>
/// The small JSON documents a fanned-out step's plan and parts leave for each other at deterministic paths of the run
/// (<c>runs/&lt;event&gt;/&lt;runId&gt;/&lt;step&gt;/parts/...</c>): a part may run in another process than its plan, so
/// nothing passes between them in memory.
/// </summary>
internal static class PartArtifacts
{
    public const string Folder = "parts";

    public static ArtifactPath PathOf(string eventName, string runId, string step, params string[] segments) =>
        RunFolders.StepFolder(eventName, runId, step).Combine([Folder, .. segments]);

    public static Task<StoredArtifact> WriteAsync<T>(IArtifactStore store, ArtifactPath path, T value, CancellationToken cancellationToken) =>
        store.PutAsync(path, new MemoryStream(PipelineJson.Serialize(value)), cancellationToken);

    /// <summary>The document, or null when there is none (the part has not finished yet).</summary>
    public static async Task<T?> TryReadAsync<T>(IArtifactStore store, ArtifactPath path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var stream = await store.OpenReadAsync(path, cancellationToken);
            return await JsonSerializer.DeserializeAsync<T>(stream, PipelineJson.Options, cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The document a finished plan or part wrote; its absence means the orchestration skipped one.</summary>
    public static async Task<T> ReadAsync<T>(IArtifactStore store, ArtifactPath path, CancellationToken cancellationToken) where T : class =>
        await TryReadAsync<T>(store, path, cancellationToken)
        ?? throw new InvalidOperationException($"{path}: not written; the plan or part that writes it has not finished");
}
