using System.Text.Json;
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

    /// <summary>Reads a CSV artifact and checks it is byte for byte what the manifest recorded.</summary>
    public static async Task<ArtifactTable> ReadTableAsync(IArtifactStore store, ManifestOutput output, CancellationToken cancellationToken)
    {
        await using var file = await OpenVerifiedAsync(store, output, cancellationToken);
        var rows = new List<string[]>(output.Rows is { } n ? (int)Math.Min(n, 10_000_000) : 0);
        IReadOnlyList<string> header;
        using (var csv = CsvInput.Open(file.Stream, output.Name, repetitiveValues: true))
        {
            var width = csv.Header.Count;
            while (csv.Read())
            {
                var row = new string[width];
                for (var i = 0; i < width; i++) row[i] = csv.Get(i);
                rows.Add(row);
            }
            header = csv.Header.Select(h => h.Trim()).ToList();
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
