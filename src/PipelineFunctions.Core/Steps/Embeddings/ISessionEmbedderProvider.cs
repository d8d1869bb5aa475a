using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.Embeddings;

/// <summary>
/// Supplies step 3's generator: the local one is fitted on the event's session texts the first time (or when asked
/// to refit) and kept as a model artifact so later sessions are embedded by the same model; a remote one (Azure OpenAI)
/// needs no fitting.
/// </summary>
public interface ISessionEmbedderProvider
{
    /// <param name="corpus">Every session text of the event, for a generator that must be fitted.</param>
    /// <param name="refit">Fit a new local model even if one is stored (every stored vector then becomes stale).</param>
    Task<SessionEmbedder> GetAsync(EventConfig config, IReadOnlyList<string> corpus, bool refit, CancellationToken cancellationToken);

    /// <summary>
    /// The generator of the model <paramref name="modelId"/>, which an earlier <see cref="GetAsync"/> returned, for one batch of
    /// step 3: loaded, never fitted, so every batch embeds with the model the step's plan chose.
    /// </summary>
    /// <exception cref="InvalidOperationException">That model is gone (refitted by another run since).</exception>
    Task<SessionEmbedder> OpenAsync(EventConfig config, string modelId, CancellationToken cancellationToken);

    /// <summary>
    /// Why this host cannot embed with the config's embeddings.generator (e.g. minilm in a host built without it), checked when a
    /// run is planned so it fails before step 1 with that message; null when it can (or cannot tell before trying).
    /// </summary>
    string? UnavailableReason(EventConfig config) => null;
}
