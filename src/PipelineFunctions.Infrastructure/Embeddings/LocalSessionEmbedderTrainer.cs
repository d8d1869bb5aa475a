namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>Fits local session embedders on session texts, and loads saved ones.</summary>
internal static class LocalSessionEmbedderTrainer
{
    public const int DefaultDimensions = 384;
    public const int DefaultSeed = 42;

    /// <summary>
    /// Learns the n-gram vocabularies and IDF weights from <paramref name="texts"/> (the show's session texts: the more of
    /// them, the better the IDF weights) and returns an embedder of <paramref name="dimensions"/> dimensions.
    /// </summary>
    /// <exception cref="ArgumentException">No text, or no text with a single word or character n-gram.</exception>
    public static LocalSessionEmbedder Fit(IEnumerable<string> texts, int dimensions = DefaultDimensions, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var fittingTexts = texts.Select(t => t ?? "").ToList();
        if (!fittingTexts.Any(t => t.Any(char.IsLetterOrDigit)))
            throw new ArgumentException("The local embedder needs at least one text with words to fit on.", nameof(texts));

        var featurizer = SessionTextFeaturizer.Fit(fittingTexts, seed);
        var featurizerZip = featurizer.Save();
        var settings = new LocalSessionEmbedderModelFile.Settings(LocalSessionEmbedderModelFile.CurrentFormat, dimensions, seed,
            LocalSessionEmbedder.WordFeatureWeight, featurizer.WordFeatureCount, featurizer.CharFeatureCount);
        var modelId = LocalSessionEmbedderModelFile.ModelIdOf(settings, featurizerZip);
        // Use the saved-and-reloaded featurizer from the start, so a fitted and a loaded embedder run the very same model.
        return new LocalSessionEmbedder(SessionTextFeaturizer.Load(featurizerZip, seed), featurizerZip, settings, modelId);
    }

    /// <summary>Reads a model written by <see cref="LocalSessionEmbedder.SaveAsync"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a complete, intact local embedder model.</exception>
    public static Task<LocalSessionEmbedder> LoadAsync(Stream source, CancellationToken cancellationToken = default) =>
        LocalSessionEmbedderModelFile.ReadAsync(source, cancellationToken);
}
