using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// The saved local embedder: one zip holding the settings as JSON and ML.NET's own model zip. Entry times are fixed, so
/// saving the same model twice gives the same bytes.
/// </summary>
internal static class LocalSessionEmbedderModelFile
{
    public const int CurrentFormat = 1;
    private const string SettingsEntry = "local-session-embedder.json";
    private const string FeaturizerEntry = "featurizer.mlnet.zip";
    private const string ModelIdPrefix = "local-tfidf-rp-";
    private static readonly DateTimeOffset FixedEntryTime = SessionTextFeaturizer.FixedEntryTime;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Everything besides the ML.NET model that decides the vectors; feature counts are kept to check the model against.</summary>
    public sealed record Settings(int Format, int Dimensions, int Seed, float WordFeatureWeight, int WordFeatures, int CharFeatures);

    private sealed record SettingsDocument(int Format, int Dimensions, int Seed, float WordFeatureWeight, int WordFeatures, int CharFeatures,
        string ModelId);

    /// <summary>
    /// SHA-256 over the settings and the contents of the ML.NET zip's entries (names and bytes, by name): not over the zip
    /// bytes themselves, whose entry times differ between two saves of the same model.
    /// </summary>
    public static string ModelIdOf(Settings settings, byte[] featurizerZip)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(settings, Json));
        using var archive = new ZipArchive(new MemoryStream(featurizerZip, writable: false), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var name = Encoding.UTF8.GetBytes(entry.FullName);
            hash.AppendData(BitConverter.GetBytes(name.Length));
            hash.AppendData(name);
            using var content = new MemoryStream();
            using (var entryStream = entry.Open()) entryStream.CopyTo(content);
            hash.AppendData(BitConverter.GetBytes(content.Length));
            hash.AppendData(content.GetBuffer(), 0, (int)content.Length);
        }
        return ModelIdPrefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static async Task WriteAsync(LocalSessionEmbedder embedder, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var s = embedder.Settings;
        var document = new SettingsDocument(s.Format, s.Dimensions, s.Seed, s.WordFeatureWeight, s.WordFeatures, s.CharFeatures, embedder.ModelId);

        // Built in memory first: ZipArchive needs a seekable stream or writes data descriptors; the model is a few MB.
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var settingsEntry = archive.CreateEntry(SettingsEntry, CompressionLevel.Optimal);
            settingsEntry.LastWriteTime = FixedEntryTime;
            await using (var stream = settingsEntry.Open())
                await JsonSerializer.SerializeAsync(stream, document, Json, cancellationToken);

            var featurizerEntry = archive.CreateEntry(FeaturizerEntry, CompressionLevel.NoCompression); // already a zip
            featurizerEntry.LastWriteTime = FixedEntryTime;
            await using (var stream = featurizerEntry.Open())
                await stream.WriteAsync(embedder.FeaturizerZip, cancellationToken);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
    }

    public static async Task<LocalSessionEmbedder> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;

        SettingsDocument document;
        byte[] featurizerZip;
        try
        {
            using var archive = new ZipArchive(buffer, ZipArchiveMode.Read);
            var settingsEntry = archive.GetEntry(SettingsEntry) ?? throw Corrupt($"it has no '{SettingsEntry}'");
            await using (var stream = settingsEntry.Open())
                document = await JsonSerializer.DeserializeAsync<SettingsDocument>(stream, Json, cancellationToken)
                    ?? throw Corrupt($"'{SettingsEntry}' is empty");

            var featurizerEntry = archive.GetEntry(FeaturizerEntry) ?? throw Corrupt($"it has no '{FeaturizerEntry}'");
            using var featurizerBuffer = new MemoryStream();
            await using (var stream = featurizerEntry.Open())
                await stream.CopyToAsync(featurizerBuffer, cancellationToken);
            featurizerZip = featurizerBuffer.ToArray();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(CorruptPrefix, StringComparison.Ordinal))
        {
            throw Corrupt($"it is not a readable zip ({e.Message})", e); // ZipArchive's own error
        }
        catch (JsonException e)
        {
            throw Corrupt($"'{SettingsEntry}' is not valid ({e.Message})", e);
        }

        if (document.Format != CurrentFormat)
            throw Corrupt($"its format is {document.Format}; this version reads format {CurrentFormat}");
        if (document.Dimensions < 1)
            throw Corrupt($"its dimensions ({document.Dimensions}) are not positive");

        var settings = new Settings(document.Format, document.Dimensions, document.Seed, document.WordFeatureWeight, document.WordFeatures,
            document.CharFeatures);
        if (settings.WordFeatureWeight != LocalSessionEmbedder.WordFeatureWeight)
            throw Corrupt($"it was built with word feature weight {settings.WordFeatureWeight}; " +
                $"this version uses {LocalSessionEmbedder.WordFeatureWeight}, refit it");
        var modelId = ModelIdOf(settings, featurizerZip);
        if (modelId != document.ModelId)
            throw Corrupt($"its content does not match its model id {document.ModelId}");

        SessionTextFeaturizer featurizer;
        try
        {
            featurizer = SessionTextFeaturizer.Load(featurizerZip, settings.Seed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Corrupt($"ML.NET could not load its featurizer: {e.Message}", e);
        }
        if (featurizer.WordFeatureCount != settings.WordFeatures || featurizer.CharFeatureCount != settings.CharFeatures)
            throw Corrupt("its featurizer does not have the feature counts its settings record");
        return new LocalSessionEmbedder(featurizer, featurizerZip, settings, modelId);
    }

    private const string CorruptPrefix = "Not a usable local session embedder model: ";

    private static InvalidDataException Corrupt(string problem, Exception? inner = null) => new(CorruptPrefix + problem + ".", inner);
}
