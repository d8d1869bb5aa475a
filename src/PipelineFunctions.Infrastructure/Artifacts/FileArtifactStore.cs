using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Infrastructure.Artifacts;

/// <summary>
/// Artifacts as files under a root folder, addressed by <c>file://</c> URIs. Writes go to a temporary file in the
/// target folder and are renamed into place, so readers see either the previous artifact or the complete new one.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    /// <summary>
    /// Name prefix of in-progress writes. <see cref="PutAsync"/> refuses artifact names that start with it, so listings can skip them.
    /// </summary>
    public const string TempFilePrefix = ".pa-partial-";

    private const int BufferSize = 81920;

    /// <param name="rootFolder">Relative (to the current directory) or absolute folder; created on the first write.</param>
    public FileArtifactStore(string rootFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        var full = Path.GetFullPath(rootFolder);
        RootFolder = Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
        Root = new Uri(RootFolder);
    }

    /// <summary>Absolute root folder, ending with a directory separator.</summary>
    public string RootFolder { get; }

    public Uri Root { get; }

    public Task<StoredArtifact> PutAsync(ArtifactPath path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteAtomicallyAsync(path, async (file, hash) =>
        {
            long length = 0;
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return length;
        }, cancellationToken);
    }

    /// <summary>Renders straight into the file on the caller's thread, hashing each write: no pipe, no second copy of the bytes.</summary>
    public Task<StoredArtifact> PutRenderedAsync(ArtifactPath path, Action<Stream, CancellationToken> render,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(render);
        return WriteAtomicallyAsync(path, (file, hash) =>
        {
            using var hashing = new HashingWriteStream(file, hash);
            render(hashing, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(hashing.Written);
        }, cancellationToken);
    }

    /// <summary>Fills a temporary file in the target folder, then renames it into place; on any failure the temporary file goes.</summary>
    private async Task<StoredArtifact> WriteAtomicallyAsync(ArtifactPath path, Func<FileStream, IncrementalHash, Task<long>> fill,
        CancellationToken cancellationToken)
    {
        var (target, temp) = PrepareWrite(path);
        try
        {
            string sha256;
            long length;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                length = await fill(file, hash);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                // On disk before the rename, or a crash could leave the name pointing at missing data.
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            return new StoredArtifact(path, GetUri(path), sha256, length);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    /// <summary>The file system's own copy (no bytes through this process) into a temporary file, renamed into place as a write is.</summary>
    public Task CopyAsync(ArtifactPath source, ArtifactPath target, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = FullPathOf(source);
        if (!File.Exists(from)) throw new ArtifactNotFoundException(GetUri(source)); // missing, or a folder
        var (to, temp) = PrepareWrite(target);
        try
        {
            File.Copy(from, temp);
            // On disk before the rename, as a write's content is.
            using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) file.Flush(flushToDisk: true);
            File.Move(temp, to, overwrite: true);
            return Task.CompletedTask;
        }
        catch (FileNotFoundException)
        {
            TryDeleteFile(temp);
            throw new ArtifactNotFoundException(GetUri(source)); // deleted since it was found
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    /// <summary>The target's full path, its folder created, and a temporary file name beside it for the content to go to first.</summary>
    private (string Target, string Temp) PrepareWrite(ArtifactPath path)
    {
        var target = FullPathOf(path);
        if (path.Name.StartsWith(TempFilePrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{path}' is not a valid artifact path: " +
                $"names starting with '{TempFilePrefix}' are reserved for in-progress writes", nameof(path));

        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        RefuseSymbolicLinks(target, path); // again: a link could have appeared while the folders were created

        // Same folder as the target, so the final rename stays on one file system and is atomic.
        return (target, Path.Combine(folder, TempFilePrefix + Guid.NewGuid().ToString("N")));
    }

    public Task<Stream> OpenReadAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPathOf(path);
        if (Directory.Exists(full)) throw new ArtifactNotFoundException(GetUri(path)); // a folder is not an artifact
        try
        {
            // FileShare.Delete lets a concurrent Put rename a new version over this one while the reader keeps the old bytes.
            Stream stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactNotFoundException(GetUri(path));
        }
    }

    public Task<bool> ExistsAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(FullPathOf(path)));
    }

    public IAsyncEnumerable<ArtifactEntry> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // Validated here rather than inside the iterator, so a bad prefix fails at the call.
        var folder = ArtifactAddressing.ValidatePrefix(prefix);
        var start = folder.Length == 0 ? RootFolder : FullPathOf(ArtifactPath.Parse(folder));
        return ListUnderAsync(prefix, start, cancellationToken);
    }

    private async IAsyncEnumerable<ArtifactEntry> ListUnderAsync(string prefix, string startFolder,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(startFolder)) yield break;

        // Links are skipped, not followed: a linked folder could hold files outside the root. Hidden files are
        // artifacts like any other, so the default "skip hidden" is turned off.
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
        };
        var matches = new List<(ArtifactPath Path, string FullPath)>();
        foreach (var file in Directory.EnumerateFiles(startFolder, "*", options))
        {
            var relative = file[RootFolder.Length..].Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (Path.GetFileName(file).StartsWith(TempFilePrefix, StringComparison.Ordinal)) continue;
            // Files put there by hand may have names no artifact path can have (e.g. with '%'); they are not artifacts.
            if (!ArtifactPath.TryParse(relative, out var path, out _)) continue;
            matches.Add((path, file));
        }
        matches.Sort((a, b) => string.CompareOrdinal(a.Path.Value, b.Path.Value));

        foreach (var (path, file) in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            if (!info.Exists) continue; // deleted since the folder was read
            yield return new ArtifactEntry(path, GetUri(path), info.Length);
            await Task.CompletedTask;
        }
    }

    public async Task<string> GetContentHashAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenReadAsync(path, cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    public Task DeleteAsync(ArtifactPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPathOf(path);
        if (!Directory.Exists(full)) TryDeleteFile(full, throwOnFailure: true);
        return Task.CompletedTask;
    }

    public Uri GetUri(ArtifactPath path) =>
        new(Root.AbsoluteUri + ArtifactAddressing.EscapeSegments(ArtifactAddressing.RequireValue(path, nameof(path))));

    public bool TryGetPath(Uri uri, out ArtifactPath path)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ArtifactAddressing.TryGetRelativePath(Root, uri, StringComparison.Ordinal, out path);
    }

    public override string ToString() => Root.AbsoluteUri;

    /// <summary>
    /// The full file path of an artifact, refusing anything that would lie outside the root: the normalised path
    /// must start with the root folder, and no symbolic link may sit between the root and the artifact.
    /// </summary>
    private string FullPathOf(ArtifactPath path)
    {
        var relative = ArtifactAddressing.RequireValue(path, nameof(path));
        var full = Path.GetFullPath(Path.Combine(RootFolder, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (full.Length <= RootFolder.Length || !full.StartsWith(RootFolder, StringComparison.Ordinal))
            throw new UnauthorizedAccessException($"artifact path '{path}' resolves outside the artifact store root {Root.AbsoluteUri}");
        RefuseSymbolicLinks(full, path);
        return full;
    }

    // GetFullPath normalises text only; a link below the root could still lead anywhere. The store never creates
    // links, so rather than resolve them (and reason about where they point) it refuses to go through any.
    private void RefuseSymbolicLinks(string fullPath, ArtifactPath path)
    {
        var current = RootFolder;
        foreach (var segment in fullPath[RootFolder.Length..].Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            if (new FileInfo(current).LinkTarget is not null)
                throw new UnauthorizedAccessException(
                    $"artifact path '{path}' goes through the symbolic link '{current}', " +
                    $"which could lead outside the artifact store root {Root.AbsoluteUri}");
            if (!Path.Exists(current)) return; // nothing below a missing entry can be a link
        }
    }

    private static void TryDeleteFile(string file, bool throwOnFailure = false)
    {
        try
        {
            File.Delete(file);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone with its folder.
        }
        catch (Exception) when (!throwOnFailure)
        {
            // Best effort: cleaning up after a failed write must not hide the original failure.
        }
    }

    /// <summary>Hashes what is written on its way into the file.</summary>
    private sealed class HashingWriteStream(FileStream file, IncrementalHash hash) : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            file.Write(buffer);
            Written += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush() => file.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
