using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Artifacts;

/// <summary>Reads the artifacts an earlier step published, by the URIs in its manifest.</summary>
public static class ArtifactReader
{
    public static async Task<ArtifactManifest> ReadManifestAsync(IArtifactStore store, Uri manifestUri, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(store, manifestUri, cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync<ArtifactManifest>(stream, PipelineJson.Options, cancellationToken)
                   ?? throw new PipelineInputException(manifestUri.ToString(), "the manifest is empty");
        }
        catch (JsonException e)
        {
            throw new PipelineInputException(manifestUri.ToString(), $"not a step manifest: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Reads a CSV artifact and checks it is byte for byte what the manifest recorded (hashed as it is parsed, never read twice).
    /// Artifacts are step 1's own RFC 4180 output, so they are parsed with Sep, many times faster than the lenient parser the
    /// user's exports need; values of a column that repeat (show refs, answers, session ids) share one string.
    /// </summary>
    public static Task<ArtifactTable> ReadTableAsync(IArtifactStore store, ManifestOutput output, CancellationToken cancellationToken) =>
        ReadTableAsync(store, output, null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadTableAsync(IArtifactStore, ManifestOutput, CancellationToken)"/>, keeping only the
    /// <paramref name="columns"/> the file has (all when null), in the file's order: a reader that needs a few columns of a
    /// wide table (step 2's links use 2-3 of the visitors' 22) skips making a string of every other cell. The whole file is
    /// still parsed, checked for width and hashed.
    /// </summary>
    public static async Task<ArtifactTable> ReadTableAsync(IArtifactStore store, ManifestOutput output, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken)
    {
        await using var file = await OpenVerifiedAsync(store, output, cancellationToken);
        var rows = new List<string[]>(output.Rows is { } n ? (int)Math.Min(n, 10_000_000) : 0);
        IReadOnlyList<string> header;
        var options = new SepReaderOptions(Sep.New(','))
        {
            Unescape = true,
            DisableColCountCheck = true, // checked below, with the same message as every other CSV
            CreateToString = SepToString.PoolPerCol(),
        };
        try
        {
            // Sep disposes what it reads from: the stream stays open for the hash check that follows.
            using var csv = options.From(new StreamReader(file.Stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16,
                leaveOpen: true));
            IReadOnlyList<string> fileHeader = [.. csv.Header.ColNames.Select(h => h.Trim())];
            var kept = Enumerable.Range(0, fileHeader.Count).Where(i => columns is null || columns.Contains(fileHeader[i])).ToArray();
            header = kept.Length == fileHeader.Count ? fileHeader : [.. kept.Select(i => fileHeader[i])];
            foreach (var record in csv)
            {
                var width = record.ColCount;
                if (width != fileHeader.Count)
                {
                    if (width == 1 && record[0].Span.IsWhiteSpace()) continue; // a blank line
                    throw new PipelineInputException(output.Name, $"the record has {width} fields but the header has {fileHeader.Count}",
                        row: record.LineNumberFrom);
                }
                var row = new string[kept.Length];
                for (var i = 0; i < kept.Length; i++) row[i] = record[kept[i]].ToString().Trim();
                rows.Add(row);
            }
        }
        catch (Exception e) when (e is InvalidDataException or PipelineInputException)
        {
            // An artifact that no longer parses was most likely changed: say so if its hash shows it.
            await VerifyAsync(file, output, cancellationToken);
            if (e is PipelineInputException) throw;
            throw new PipelineInputException(output.Name, $"not readable as CSV: {e.Message}", inner: e);
        }
        await VerifyAsync(file, output, cancellationToken);
        return new ArtifactTable(output.Name, header, rows);
    }

    /// <summary>A small artifact's bytes (a marker, an outcome, a model), unverified.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(IArtifactStore store, ArtifactPath path, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(path, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static async Task<T> ReadJsonAsync<T>(IArtifactStore store, ManifestOutput output, CancellationToken cancellationToken)
    {
        await using var file = await OpenVerifiedAsync(store, output, cancellationToken);
        var value = await JsonSerializer.DeserializeAsync<T>(file.Stream, PipelineJson.Options, cancellationToken)
                    ?? throw new PipelineInputException(output.Name, "the artifact is empty");
        await VerifyAsync(file, output, cancellationToken);
        return value;
    }

    private static async Task<InputFile> OpenVerifiedAsync(IArtifactStore store, ManifestOutput output, CancellationToken cancellationToken)
    {
        if (!store.TryGetPath(output.Uri, out var path))
            throw new PipelineInputException(output.Uri.ToString(), $"the artifact is not in the run's store ({store.Root})");
        if (!await store.ExistsAsync(path, cancellationToken))
            throw new PipelineInputException(output.Uri.ToString(),
                "the artifact listed in the manifest does not exist (deleted, or the run was purged?)");
        return await InputFile.OpenAsync(store, path.Value, cancellationToken);
    }

    /// <summary>An artifact changed after publication would silently feed a later step different data: refuse it.</summary>
    private static async Task VerifyAsync(InputFile file, ManifestOutput output, CancellationToken cancellationToken)
    {
        var digest = await file.FinishAsync(cancellationToken);
        if (digest.Sha256 != output.Sha256)
            throw new PipelineInputException(output.Uri.ToString(),
                $"the artifact's SHA-256 {digest.Sha256[..12]}… " +
                $"differs from its manifest's {output.Sha256[..12]}…: it changed after it was published");
    }

    private static async Task<Stream> OpenAsync(IArtifactStore store, Uri uri, CancellationToken cancellationToken)
    {
        if (!store.TryGetPath(uri, out var path))
            throw new PipelineInputException(uri.ToString(), $"the artifact is not in the run's store ({store.Root})");
        try
        {
            return await store.OpenReadAsync(path, cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            throw new PipelineInputException(uri.ToString(), "the artifact does not exist (deleted, or the run was purged?)");
        }
    }
}
