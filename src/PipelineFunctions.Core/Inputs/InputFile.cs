using System.Security.Cryptography;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Inputs;

/// <summary>An input file opened from a store, hashed as it is read so the manifest can record what was consumed.</summary>
internal sealed class InputFile : IAsyncDisposable
{
    private readonly HashingReadStream _stream;

    private InputFile(string displayName, Uri uri, HashingReadStream stream)
    {
        DisplayName = displayName;
        Uri = uri;
        _stream = stream;
    }

    /// <summary>The name users know the file by (its file name), used in every message.</summary>
    public string DisplayName { get; }
    public Uri Uri { get; }
    public Stream Stream => _stream;

    public static async Task<InputFile> OpenAsync(IArtifactStore store, string fileName, CancellationToken cancellationToken)
    {
        if (!ArtifactPath.TryParse(fileName, out var path, out var problem))
            throw new PipelineInputException(fileName, $"not a usable input file name: {problem}");
        Stream inner;
        try
        {
            inner = await store.OpenReadAsync(path, cancellationToken);
        }
        catch (ArtifactNotFoundException)
        {
            throw new PipelineInputException(fileName, $"input file not found (looked for {store.GetUri(path)})");
        }
        return new InputFile(fileName, store.GetUri(path), new HashingReadStream(inner));
    }

    /// <summary>Reads whatever the parser left unread and returns the SHA-256 of the whole file.</summary>
    public async Task<InputFileDigest> FinishAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await _stream.ReadAsync(buffer, cancellationToken) > 0) { }
        return new InputFileDigest(DisplayName, Uri, _stream.HashHex(), _stream.BytesRead);
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private sealed class HashingReadStream(Stream inner) : ReadOnlyStream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public long BytesRead { get; private set; }

        public string HashHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _hash.AppendData(buffer[..read]);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _hash.AppendData(buffer.Span[..read]);
            BytesRead += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) { inner.Dispose(); _hash.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
