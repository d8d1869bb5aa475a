using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace PipelineFunctions.Infrastructure.Embeddings;

/// <summary>
/// The ML.NET half of the local embedder: text to a sparse, TF-IDF weighted bag of word 1-2-grams and character
/// 3-5-grams, each block L2-normalised. The vocabularies and IDF weights are learnt by <see cref="Fit"/>; n-grams never
/// seen in fitting are dropped, so an unseen word still contributes the character n-grams it shares with known text.
/// </summary>
internal sealed class SessionTextFeaturizer
{
    private const string TextColumn = "Text";
    private const string WordColumn = "WordFeatures";
    private const string CharColumn = "CharFeatures";

    // Char n-grams: FeaturizeText's own char extractor can only do "1..n" or exactly "n", so the 3-, 4- and 5-gram bags are
    // built from the same primitives it uses and concatenated.
    private const string NormalizedTextColumn = "NormalizedText";
    private const string CharKeysColumn = "CharKeys";
    private static readonly int[] CharNgramLengths = [3, 4, 5];

    /// <summary>ML.NET's default n-gram cap, written out: the vocabulary must not depend on a library default that may change.</summary>
    private const int MaximumNgramsCount = 10_000_000;

    private readonly MLContext _mlContext;
    private readonly ITransformer _transformer;

    private SessionTextFeaturizer(MLContext mlContext, ITransformer transformer, DataViewSchema outputSchema)
    {
        _mlContext = mlContext;
        _transformer = transformer;
        WordFeatureCount = VectorSize(outputSchema, WordColumn);
        CharFeatureCount = VectorSize(outputSchema, CharColumn);
    }

    public int WordFeatureCount { get; }

    public int CharFeatureCount { get; }

    /// <summary>Features of the combined space: word features first, then char features.</summary>
    public int FeatureCount => WordFeatureCount + CharFeatureCount;

    public static SessionTextFeaturizer Fit(IReadOnlyList<string> texts, int seed)
    {
        // Featurisation draws no random numbers, but a seeded context keeps it so if a later ML.NET version starts to.
        var mlContext = new MLContext(seed);
        var data = Load(mlContext, texts);
        var transformer = Pipeline(mlContext).Fit(data);
        return new SessionTextFeaturizer(mlContext, transformer, transformer.GetOutputSchema(data.Schema));
    }

    /// <summary>
    /// The fitted ML.NET model as its own zip (the input schema is saved with it), rewritten with fixed entry times:
    /// ML.NET stamps entries with the current time, and the same model must save to the same bytes.
    /// </summary>
    public byte[] Save()
    {
        using var saved = new MemoryStream();
        _mlContext.Model.Save(_transformer, Load(_mlContext, []).Schema, saved);
        saved.Position = 0;

        using var canonical = new MemoryStream();
        using (var source = new ZipArchive(saved, ZipArchiveMode.Read))
        using (var target = new ZipArchive(canonical, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = FixedEntryTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        return canonical.ToArray();
    }

    public static readonly DateTimeOffset FixedEntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SessionTextFeaturizer Load(byte[] modelZip, int seed)
    {
        var mlContext = new MLContext(seed);
        using var stream = new MemoryStream(modelZip, writable: false);
        var transformer = mlContext.Model.Load(stream, out var inputSchema);
        return new SessionTextFeaturizer(mlContext, transformer, transformer.GetOutputSchema(inputSchema));
    }

    /// <summary>
    /// Calls <paramref name="visit"/> once per text, in order, with its row index and the non-zero features of its two
    /// blocks (indices local to each block).
    /// </summary>
    public void Featurize(IReadOnlyList<string> texts, SparseFeaturesVisitor visit, CancellationToken cancellationToken)
    {
        var transformed = _transformer.Transform(Load(_mlContext, texts));
        var wordColumn = transformed.Schema[WordColumn];
        var charColumn = transformed.Schema[CharColumn];
        using var cursor = transformed.GetRowCursor([wordColumn, charColumn]);
        var getWords = cursor.GetGetter<VBuffer<float>>(wordColumn);
        var getChars = cursor.GetGetter<VBuffer<float>>(charColumn);
        VBuffer<float> words = default, chars = default;
        var row = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getWords(ref words);
            getChars(ref chars);
            visit(row++, words, chars);
        }
        if (row != texts.Count)
            throw new InvalidOperationException($"The text featurizer returned {row} rows for {texts.Count} texts.");
    }

    public delegate void SparseFeaturesVisitor(int row, in VBuffer<float> wordFeatures, in VBuffer<float> charFeatures);

    private static IEstimator<ITransformer> Pipeline(MLContext mlContext)
    {
        var text = mlContext.Transforms.Text;
        var wordOptions = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            // "the", "of", "with" would otherwise be the most frequent shared features of unrelated sessions.
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options { Language = TextFeaturizingEstimator.Language.English },
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 2,
                UseAllLengths = true,
                MaximumNgramsCount = [MaximumNgramsCount],
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        IEstimator<ITransformer> pipeline = text.FeaturizeText(WordColumn, wordOptions, TextColumn)
            .Append(text.NormalizeText(NormalizedTextColumn, TextColumn, TextNormalizingEstimator.CaseMode.Lower,
                keepDiacritics: false, keepPunctuations: false, keepNumbers: true))
            .Append(text.TokenizeIntoCharactersAsKeys(CharKeysColumn, NormalizedTextColumn, useMarkerCharacters: true));
        var charBags = new List<string>();
        foreach (var length in CharNgramLengths)
        {
            var column = $"Char{length}Grams";
            pipeline = pipeline.Append(text.ProduceNgrams(column, CharKeysColumn, ngramLength: length, skipLength: 0, useAllLengths: false,
                maximumNgramsCount: MaximumNgramsCount, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf));
            charBags.Add(column);
        }
        return pipeline
            .Append(mlContext.Transforms.Concatenate(CharColumn + "Raw", [.. charBags]))
            .Append(mlContext.Transforms.NormalizeLpNorm(CharColumn, CharColumn + "Raw",
                norm: Microsoft.ML.Transforms.LpNormNormalizingEstimatorBase.NormFunction.L2));
    }

    private static IDataView Load(MLContext mlContext, IReadOnlyList<string> texts) =>
        mlContext.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t ?? "" }));

    private static int VectorSize(DataViewSchema schema, string column) =>
        schema[column].Type is VectorDataViewType { Size: > 0 } vector
            ? vector.Size
            : throw new InvalidOperationException($"Featurizer column '{column}' is not a vector of known size.");

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
