using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Infrastructure.Artifacts;

/// <summary>
/// Artifacts as block blobs in one container, optionally under a prefix ("folder") inside it. The SHA-256 of each
/// artifact is kept in the blob's metadata so hashes and listings need no download. A missing container is created
/// by the first upload that finds it missing; reads treat it as an empty store.
/// </summary>
internal sealed class BlobArtifactStore : IArtifactStore
{
    /// <summary>Blob metadata key holding the lower-case hex SHA-256 of the content.</summary>
    public const string Sha256MetadataKey = "sha256";

    private const int BufferSize = 81920;

    private readonly BlobContainerClient _container;
    private readonly string _blobPrefix; // "" or "some/folder/"
    private readonly SemaphoreSlim _containerGate = new(1, 1);
    private volatile bool _containerCreated;

    /// <param name="container">
    /// Any authenticated container client: from a connection string, or an account URI with a TokenCredential
    /// such as DefaultAzureCredential, or a SAS URI.
    /// </param>
    /// <param name="prefix">Optional folder inside the container ("events/vet_lva"), without leading slash.</param>
    public BlobArtifactStore(BlobContainerClient container, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;

        var folder = (prefix ?? "").TrimEnd('/');
        if (folder.Length > 0 && !ArtifactPath.TryParse(folder, out _, out var problem))
            throw new ArgumentException($"'{prefix}' is not a valid prefix inside a container: {problem}", nameof(prefix));
        _blobPrefix = folder.Length == 0 ? "" : folder + "/";

        // Without the query: a SAS token is a secret and must never end up in artifact URIs, manifests or logs.
        var containerUri = WithoutQuery(container.Uri).AbsoluteUri.TrimEnd('/');
        Root = new Uri(containerUri + "/" + (folder.Length == 0 ? "" : ArtifactAddressing.EscapeSegments(folder) + "/"));
    }

    public Uri Root { get; }

    public string ContainerName => _container.Name;

    public async Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = BlobOf(path);

        // The hash goes into the same request as the content (metadata on upload), so no reader ever sees a blob
        // without its hash. That needs the hash first: a seekable stream is read twice, anything else is spooled
        // to a temporary file once.
        var upload = content;
        FileStream? spool = null;
        try
        {
            string sha256;
            if (content.CanSeek)
            {
                var contentStart = content.Position;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
                content.Position = contentStart;
            }
            else
            {
                spool = new FileStream(Path.Combine(Path.GetTempPath(), "pa-blob-upload-" + Guid.NewGuid().ToString("N")),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
                    FileOptions.Asynchronous | FileOptions.DeleteOnClose);
                sha256 = await CopyHashingAsync(content, spool, cancellationToken);
                spool.Position = 0;
                upload = spool;
            }
            var start = upload.Position;
            var options = new BlobUploadOptions { Metadata = new Dictionary<string, string> { [Sha256MetadataKey] = sha256 } };
            try
            {
                await blob.UploadAsync(upload, options, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound.ToString())
            {
                // Created on demand rather than up front: a container-scoped SAS or a data-only role may upload
                // blobs but not create containers, and the service answers "create" with 403 even when it exists.
                await EnsureContainerAsync(cancellationToken);
                upload.Position = start;
                await blob.UploadAsync(upload, options, cancellationToken);
            }
            return new StoredArtifact(path, GetUri(path), sha256, upload.Length - start);
        }
        finally
        {
            if (spool is not null) await spool.DisposeAsync();
        }
    }

    /// <summary>
    /// A server-side copy within the container (Copy Blob): the bytes, and the SHA-256 in the metadata, never leave the
    /// account. A block blob is replaced whole when the copy commits, so a reader sees the old or the new content.
    /// </summary>
    public async Task CopyAsync(ArtifactPath source, ArtifactPath target, CancellationToken cancellationToken = default)
    {
        try
        {
            var copy = await BlobOf(target).StartCopyFromUriAsync(BlobOf(source).Uri, cancellationToken: cancellationToken);
            // Within one account the copy is usually done when the call returns; otherwise this polls until it is.
            await copy.WaitForCompletionAsync(cancellationToken);
            var copied = (await BlobOf(target).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (copied.CopyId == copy.Id && copied.CopyStatus != CopyStatus.Success)
                throw new IOException($"copying {GetUri(source)} to {GetUri(target)} ended {copied.CopyStatus}: {copied.CopyStatusDescription}");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtifactNotFoundException(GetUri(source));
        }
    }

    public async Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            // One GET whose stream the SDK resumes on transient failures, pinned to the ETag it started with.
            var response = await BlobOf(path).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtifactNotFoundException(GetUri(path));
        }
    }

    public async Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await BlobOf(path).ExistsAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false; // container missing
        }
    }

    public IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArtifactAddressing.ValidatePrefix(prefix); // here, not in the iterator, so a bad prefix fails at the call
        return ListMatchingAsync(prefix, cancellationToken);
    }

    private async IAsyncEnumerable<ArtifactEntry> ListMatchingAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Gathered first, then sorted: the service orders by UTF-8 bytes, the contract by ordinal (UTF-16) order,
        // and the two differ for characters outside the basic plane.
        var items = new List<(ArtifactPath Path, BlobItem Item)>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions
            {
                Prefix = _blobPrefix + prefix,
            }, cancellationToken))
            {
                // Blobs written by other tools may have names no artifact path can have; they are not artifacts.
                if (ArtifactPath.TryParse(item.Name[_blobPrefix.Length..], out var path, out _))
                    items.Add((path, item));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            yield break; // no container yet, so no artifacts
        }
        items.Sort((a, b) => string.CompareOrdinal(a.Path.Value, b.Path.Value));

        foreach (var (path, item) in items)
            yield return new ArtifactEntry(path, GetUri(path), item.Properties.ContentLength ?? 0);
    }

    public async Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        BlobProperties properties;
        try
        {
            properties = (await BlobOf(path).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ArtifactNotFoundException(GetUri(path));
        }
        // Blobs uploaded by other tools have no hash in their metadata.
        return ReadSha256(properties.Metadata) ?? await HashContentAsync(path, cancellationToken);
    }

    public async Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            await BlobOf(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Container missing: nothing to delete.
        }
    }

    public Uri GetUri(ArtifactPath path) => WithoutQuery(BlobOf(path).Uri);

    public bool TryGetPath(Uri uri, out ArtifactPath path)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ArtifactAddressing.TryGetRelativePath(Root, uri, StringComparison.Ordinal, out path);
    }

    public override string ToString() => Root.AbsoluteUri;

    private BlobClient BlobOf(ArtifactPath path) =>
        _container.GetBlobClient(_blobPrefix + ArtifactAddressing.RequireValue(path, nameof(path)));

    /// <summary>Creates the container once per store, however many uploads found it missing at the same time.</summary>
    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerCreated) return;
        await _containerGate.WaitAsync(cancellationToken);
        try
        {
            if (_containerCreated) return;
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerCreated = true;
        }
        finally
        {
            _containerGate.Release();
        }
    }

    private async Task<string> HashContentAsync(ArtifactPath path, CancellationToken cancellationToken)
    {
        await using var stream = await OpenReadAsync(path, cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static string? ReadSha256(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(Sha256MetadataKey, out var value) && IsSha256Hex(value) ? value : null;

    // Metadata can be edited by anyone with write access; a malformed value is ignored, not trusted.
    private static bool IsSha256Hex(string value) =>
        value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static async Task<string> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Uri WithoutQuery(Uri uri) => new(uri.GetLeftPart(UriPartial.Path));
}
