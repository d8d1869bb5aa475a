using System.Text;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>What only the file store does: file URIs, temp files, and refusing every way out of its root.</summary>
public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("pf-file-store-").FullName;
    private readonly string _rootFolder;
    private readonly string _outsideFolder;
    private readonly FileArtifactStore _store;

    public FileArtifactStoreTests()
    {
        _rootFolder = Path.Combine(_sandbox, "store root");
        _outsideFolder = Path.Combine(_sandbox, "outside");
        Directory.CreateDirectory(_outsideFolder);
        _store = new FileArtifactStore(_rootFolder);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Fact]
    public void Root_is_the_file_uri_of_the_full_folder_path_with_a_trailing_slash()
    {
        Assert.Equal(new Uri(_rootFolder + "/"), _store.Root);
        Assert.Equal("file", _store.Root.Scheme);
        Assert.EndsWith("/store%20root/", _store.Root.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(_rootFolder + Path.DirectorySeparatorChar, _store.RootFolder);
        Assert.Equal(_store.Root, new FileArtifactStore(_rootFolder + "/").Root);
    }

    [Fact]
    public void A_relative_root_folder_is_resolved_against_the_current_directory()
    {
        var store = new FileArtifactStore(Path.Combine("some", "relative"));

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "some", "relative") + Path.DirectorySeparatorChar, store.RootFolder);
        Assert.False(Directory.Exists(store.RootFolder), "constructing a store must not create its folder");
    }

    [Fact]
    public async Task Put_writes_the_file_at_the_path_and_leaves_no_temporary_files()
    {
        var content = Encoding.UTF8.GetBytes("a;b\n");

        var stored = await _store.PutAsync(ArtifactPath.Parse("runs/r1/prepare/out.csv"), new MemoryStream(content));
        await _store.PutAsync(ArtifactPath.Parse("runs/r1/prepare/out.csv"), new MemoryStream(content));

        var file = Path.Combine(_rootFolder, "runs", "r1", "prepare", "out.csv");
        Assert.Equal(content, await File.ReadAllBytesAsync(file));
        Assert.Equal(new Uri(file).AbsoluteUri, stored.Uri.AbsoluteUri);
        Assert.Equal([file], Directory.GetFiles(_rootFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failed_put_removes_its_temporary_file()
    {
        await Assert.ThrowsAsync<IOException>(() =>
            _store.PutAsync(ArtifactPath.Parse("runs/r1/out.csv"), new FailingStream(new byte[500_000], failAfter: 300_000)));

        Assert.Empty(Directory.GetFiles(_rootFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_rendered_put_that_fails_mid_way_removes_its_temporary_file_and_keeps_the_previous_version()
    {
        var path = ArtifactPath.Parse("runs/r1/out.csv");
        await _store.PutAsync(path, new MemoryStream("previous"u8.ToArray()));

        await Assert.ThrowsAsync<IOException>(() => _store.PutRenderedAsync(path, (stream, _) =>
        {
            stream.Write(new byte[300_000]);
            throw new IOException("rendering failed");
        }));

        var file = Path.Combine(_rootFolder, "runs", "r1", "out.csv");
        Assert.Equal([file], Directory.GetFiles(_rootFolder, "*", SearchOption.AllDirectories));
        Assert.Equal("previous"u8.ToArray(), await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crashed_writer_are_not_listed_and_their_names_cannot_be_put()
    {
        await _store.PutAsync(ArtifactPath.Parse("runs/done.csv"), new MemoryStream([1]));
        await File.WriteAllTextAsync(Path.Combine(_rootFolder, "runs", FileArtifactStore.TempFilePrefix + "0123abcd"), "half");

        var listed = await ListAsync("runs/");

        Assert.Equal(["runs/done.csv"], listed.Select(a => a.Path.Value));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.PutAsync(ArtifactPath.Parse("runs/" + FileArtifactStore.TempFilePrefix + "x"), new MemoryStream([1])));
    }

    [Fact]
    public async Task Hidden_files_are_artifacts_but_files_with_names_no_artifact_can_have_are_not_listed()
    {
        await _store.PutAsync(ArtifactPath.Parse("runs/.manifest"), new MemoryStream([1]));
        await File.WriteAllTextAsync(Path.Combine(_rootFolder, "runs", "copied%20by hand.csv"), "x");
        await File.WriteAllTextAsync(Path.Combine(_rootFolder, "runs", "c:d.csv"), "x");

        Assert.Equal(["runs/.manifest"], (await ListAsync("")).Select(a => a.Path.Value));
    }

    [Fact]
    public async Task Content_hash_is_computed_from_the_file_as_it_is_now()
    {
        var path = ArtifactPath.Parse("inputs/edited.csv");
        await _store.PutAsync(path, new MemoryStream("before"u8.ToArray()));
        await File.WriteAllTextAsync(Path.Combine(_rootFolder, "inputs", "edited.csv"), "after");

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("after"u8)), await _store.GetContentHashAsync(path));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_folder_outside_the_root_is_never_followed()
    {
        await File.WriteAllTextAsync(Path.Combine(_outsideFolder, "secret.txt"), "outside");
        Directory.CreateDirectory(_rootFolder);
        Directory.CreateSymbolicLink(Path.Combine(_rootFolder, "linked"), _outsideFolder);
        var throughLink = ArtifactPath.Parse("linked/secret.txt");
        var newThroughLink = ArtifactPath.Parse("linked/new.txt");

        var put = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.PutAsync(newThroughLink, new MemoryStream([1])));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.OpenReadAsync(throughLink));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.ExistsAsync(throughLink));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.GetContentHashAsync(throughLink));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.DeleteAsync(throughLink));
        Assert.Throws<UnauthorizedAccessException>(() => _store.ListAsync("linked/"));

        Assert.Contains("symbolic link", put.Message, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(""));
        Assert.Equal(["secret.txt"], Directory.GetFiles(_outsideFolder).Select(Path.GetFileName));
        Assert.Equal("outside", await File.ReadAllTextAsync(Path.Combine(_outsideFolder, "secret.txt")));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_file_outside_the_root_is_neither_read_nor_overwritten()
    {
        var outsideFile = Path.Combine(_outsideFolder, "passwd");
        await File.WriteAllTextAsync(outsideFile, "root:x:0:0");
        Directory.CreateDirectory(Path.Combine(_rootFolder, "inputs"));
        File.CreateSymbolicLink(Path.Combine(_rootFolder, "inputs", "passwd"), outsideFile);
        var path = ArtifactPath.Parse("inputs/passwd");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.OpenReadAsync(path));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.PutAsync(path, new MemoryStream("overwritten"u8.ToArray())));

        Assert.Equal("root:x:0:0", await File.ReadAllTextAsync(outsideFile));
        Assert.Empty(await ListAsync("inputs/"));
    }

    [Fact]
    public void TryGetPath_refuses_file_uris_that_leave_the_root()
    {
        var escapes = new[]
        {
            new Uri(_store.Root, "../outside/secret.txt"),
            new Uri(_store.Root.AbsoluteUri + "runs/../../outside/secret.txt"),
            new Uri(new Uri(_sandbox + "/"), "store%20root-sibling/a.csv"), // shares the root's text as a prefix
            new Uri(Path.Combine(_outsideFolder, "secret.txt")),
        };

        foreach (var uri in escapes)
            Assert.False(_store.TryGetPath(uri, out _), $"{uri} is outside {_store.Root}");
        Assert.True(_store.TryGetPath(new Uri(_store.Root.AbsoluteUri + "runs/x/../a.csv"), out var normalised));
        Assert.Equal("runs/a.csv", normalised.Value);
    }

    [Fact]
    public void Parsing_refuses_dot_dot_before_a_store_ever_sees_it()
    {
        // The store's own checks are the second line; the first is that such a path cannot be built at all.
        Assert.Throws<ArgumentException>(() => ArtifactPath.Parse("../outside/secret.txt"));
        Assert.Throws<ArgumentException>(() => ArtifactPath.Parse("runs/%2e%2e/secret.txt"));
        Assert.Throws<ArgumentException>(() => ArtifactPath.Parse("/etc/passwd"));
    }

    private async Task<List<ArtifactEntry>> ListAsync(string prefix)
    {
        var artifacts = new List<ArtifactEntry>();
        await foreach (var artifact in _store.ListAsync(prefix)) artifacts.Add(artifact);
        return artifacts;
    }
}
