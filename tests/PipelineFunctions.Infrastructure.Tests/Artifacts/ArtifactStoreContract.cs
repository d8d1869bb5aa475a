using System.Security.Cryptography;
using System.Text;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>
/// The behaviour every <see cref="IArtifactStore"/> adapter must show. Each concrete subclass runs all of these
/// against a real store; each test gets its own empty store (a fresh folder or blob prefix).
/// </summary>
public abstract class ArtifactStoreContract
{
    private readonly Func<string, IArtifactStore> _createStore;
    private readonly string _storeName = "case-" + Guid.NewGuid().ToString("N")[..12];

    /// <param name="createStore">Creates an empty store named <c>name</c>; equal names give the same store.</param>
    protected ArtifactStoreContract(Func<string, IArtifactStore> createStore)
    {
        _createStore = createStore;
        Store = createStore(_storeName);
    }

    protected IArtifactStore Store { get; }

    /// <summary>A store whose name starts with this store's name: "case-1" vs "case-1x".</summary>
    protected IArtifactStore CreateStoreWithLongerName() => _createStore(_storeName + "x");

    [Fact]
    public async Task Put_then_OpenRead_returns_the_same_text()
    {
        var path = ArtifactPath.Parse("runs/vet_lva/r1/prepare/attendees.csv");
        const string text = "id;name\n1;Jürgen Größ\n2;日本語 ✓\n";
        var bytes = Encoding.UTF8.GetBytes(text);

        var stored = await PutAsync(path, bytes);

        Assert.Equal(text, Encoding.UTF8.GetString(await ReadAllAsync(path)));
        Assert.Equal(path, stored.Path);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Sha256Hex(bytes), stored.Sha256);
        Assert.Equal(Store.GetUri(path), stored.Uri);
    }

    [Fact]
    public async Task Put_then_OpenRead_returns_the_same_binary_content_larger_than_4_MB()
    {
        var path = ArtifactPath.Parse("runs/vet_lva/r1/embed/vectors.bin");
        var bytes = RandomBytes(4 * 1024 * 1024 + 123_457, seed: 2024);

        var stored = await PutAsync(path, bytes);
        var read = await ReadAllAsync(path);

        AssertSameBytes(bytes, read);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Sha256Hex(bytes), stored.Sha256);
    }

    [Fact]
    public async Task Put_from_a_non_seekable_stream_stores_all_bytes_and_their_hash()
    {
        var path = ArtifactPath.Parse("inputs/streamed.bin");
        var bytes = RandomBytes(1024 * 1024 + 3, seed: 7);

        var stored = await Store.PutAsync(path, new NonSeekableStream(bytes));

        AssertSameBytes(bytes, await ReadAllAsync(path));
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Sha256Hex(bytes), stored.Sha256);
        Assert.Equal(Sha256Hex(bytes), await Store.GetContentHashAsync(path));
    }

    [Fact]
    public async Task Put_from_a_stream_that_was_partly_read_stores_only_the_rest()
    {
        var path = ArtifactPath.Parse("inputs/rest.txt");
        var bytes = Encoding.UTF8.GetBytes("HEADER-TO-SKIP|payload");
        using var content = new MemoryStream(bytes) { Position = "HEADER-TO-SKIP|".Length };

        var stored = await Store.PutAsync(path, content);

        Assert.Equal("payload", Encoding.UTF8.GetString(await ReadAllAsync(path)));
        Assert.Equal(7, stored.Length);
        Assert.Equal(Sha256Hex(Encoding.UTF8.GetBytes("payload")), stored.Sha256);
    }

    [Fact]
    public async Task Put_over_an_existing_artifact_replaces_its_content_and_hash()
    {
        var path = ArtifactPath.Parse("runs/vet_lva/r1/rank/recommendations.json");
        await PutAsync(path, Encoding.UTF8.GetBytes("first version, rather longer than the second"));
        var second = Encoding.UTF8.GetBytes("second");

        var stored = await PutAsync(path, second);

        Assert.Equal("second", Encoding.UTF8.GetString(await ReadAllAsync(path)));
        Assert.Equal(Sha256Hex(second), stored.Sha256);
        Assert.Equal(Sha256Hex(second), await Store.GetContentHashAsync(path));
        var listed = Assert.Single(await ListAsync("runs/"));
        Assert.Equal(second.Length, listed.Length);
        Assert.Equal(Store.GetUri(path), listed.Uri);
    }

    [Fact]
    public async Task Exists_is_true_only_between_put_and_delete()
    {
        var path = ArtifactPath.Parse("runs/vet_lva/r1/graph/nodes.csv");
        Assert.False(await Store.ExistsAsync(path));

        await PutAsync(path, [1, 2, 3]);
        Assert.True(await Store.ExistsAsync(path));

        await Store.DeleteAsync(path);
        Assert.False(await Store.ExistsAsync(path));
    }

    [Fact]
    public async Task Exists_is_false_for_a_folder_that_only_holds_artifacts()
    {
        await PutAsync(ArtifactPath.Parse("runs/vet_lva/r1/a.csv"), [1]);

        Assert.False(await Store.ExistsAsync(ArtifactPath.Parse("runs/vet_lva/r1")));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.OpenReadAsync(ArtifactPath.Parse("runs/vet_lva/r1")));
    }

    [Fact]
    public async Task Content_hash_is_the_lower_case_hex_SHA_256_of_the_bytes()
    {
        var path = ArtifactPath.Parse("inputs/hash-me.txt");
        var bytes = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");

        var stored = await PutAsync(path, bytes);
        var hash = await Store.GetContentHashAsync(path);

        // Known answer, independent of any hashing code in the test.
        Assert.Equal("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592", hash);
        Assert.Equal(hash, stored.Sha256);
    }

    [Fact]
    public async Task List_with_a_folder_prefix_returns_exactly_that_folder_in_ordinal_order()
    {
        // Written out of order, with a sibling "runs/ab/" and a file "runs/a.txt" that share the text "runs/a".
        foreach (var path in new[]
                 {
                     "runs/ab/3.csv", "runs/a/sub/2.csv", "runs/b/4.csv", "runs/a/b.csv", "runs/a.txt", "runs/a/Z.csv", "other/runs/a/1.csv",
                 })
            await PutAsync(ArtifactPath.Parse(path), Encoding.UTF8.GetBytes(path));

        var listed = await ListAsync("runs/a/");

        // Ordinal: 'Z' (0x5A) sorts before 'b' (0x62).
        Assert.Equal(["runs/a/Z.csv", "runs/a/b.csv", "runs/a/sub/2.csv"], listed.Select(a => a.Path.Value));
        foreach (var artifact in listed)
        {
            var content = Encoding.UTF8.GetBytes(artifact.Path.Value);
            Assert.Equal(Sha256Hex(content), await Store.GetContentHashAsync(artifact.Path));
            Assert.Equal(content.Length, artifact.Length);
            Assert.Equal(Store.GetUri(artifact.Path), artifact.Uri);
        }
    }

    [Fact]
    public async Task List_with_a_partial_prefix_matches_by_text_in_ordinal_order()
    {
        foreach (var path in new[] { "runs/ab/3.csv", "runs/a/b.csv", "runs/a.txt", "runs/b/4.csv" })
            await PutAsync(ArtifactPath.Parse(path), [42]);

        var listed = await ListAsync("runs/a");

        // '.' (0x2E) < '/' (0x2F) < 'b' (0x62).
        Assert.Equal(["runs/a.txt", "runs/a/b.csv", "runs/ab/3.csv"], listed.Select(a => a.Path.Value));
    }

    [Fact]
    public async Task List_orders_by_UTF_16_code_units_even_where_UTF_8_byte_order_differs()
    {
        // U+FF21 (fullwidth A) is EF BC A1 in UTF-8 and U+1F600 is F0 9F 98 80, so byte order puts U+FF21 first;
        // in UTF-16 the emoji is D83D DE00 and sorts before FF21. The contract's order is the ordinal one.
        const string fullwidthA = "names/\uFF21.csv";
        const string emoji = "names/\U0001F600.csv";
        await PutAsync(ArtifactPath.Parse(fullwidthA), [1]);
        await PutAsync(ArtifactPath.Parse(emoji), [2]);

        Assert.Equal([emoji, fullwidthA], (await ListAsync("names/")).Select(a => a.Path.Value));
    }

    [Fact]
    public async Task List_with_an_empty_prefix_returns_everything_and_an_unknown_prefix_nothing()
    {
        foreach (var path in new[] { "b.csv", "a/x.csv", "A.csv" })
            await PutAsync(ArtifactPath.Parse(path), [1]);

        Assert.Equal(["A.csv", "a/x.csv", "b.csv"], (await ListAsync("")).Select(a => a.Path.Value));
        Assert.Empty(await ListAsync("nothing/"));
        Assert.Empty(await ListAsync("a/x.csv/"));
    }

    [Fact]
    public async Task List_does_not_see_a_store_whose_name_merely_starts_with_the_same_text()
    {
        await PutAsync(ArtifactPath.Parse("mine.csv"), [1]);
        var longer = CreateStoreWithLongerName();
        await longer.PutAsync(ArtifactPath.Parse("theirs.csv"), new MemoryStream([2]));

        Assert.Equal(["mine.csv"], (await ListAsync("")).Select(a => a.Path.Value));
        Assert.False(await Store.ExistsAsync(ArtifactPath.Parse("theirs.csv")));
    }

    [Theory]
    [InlineData("/runs/")]
    [InlineData("../")]
    [InlineData("runs/../x/")]
    [InlineData("runs//")]
    [InlineData("runs\\a")]
    public void List_refuses_a_prefix_that_is_not_relative_and_clean(string prefix)
    {
        // Refused at the call, not at the first MoveNext, so the caller sees it where the mistake is.
        Assert.Throws<ArgumentException>(() => Store.ListAsync(prefix));
    }

    [Fact]
    public async Task Reading_a_missing_artifact_throws_ArtifactNotFoundException_with_its_uri()
    {
        var path = ArtifactPath.Parse("runs/vet_lva/r9/missing.csv");

        var open = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.OpenReadAsync(path));
        var hash = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.GetContentHashAsync(path));

        Assert.Equal(Store.GetUri(path), open.Uri);
        Assert.Equal(Store.GetUri(path), hash.Uri);
    }

    [Fact]
    public async Task Delete_removes_only_that_artifact_and_deleting_a_missing_one_is_a_no_op()
    {
        var gone = ArtifactPath.Parse("runs/r1/partial.csv");
        var kept = ArtifactPath.Parse("runs/r1/kept.csv");
        await PutAsync(gone, [1]);
        await PutAsync(kept, [2]);

        await Store.DeleteAsync(gone);
        await Store.DeleteAsync(gone);
        await Store.DeleteAsync(ArtifactPath.Parse("never/written.csv"));

        Assert.Equal(["runs/r1/kept.csv"], (await ListAsync("runs/")).Select(a => a.Path.Value));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.OpenReadAsync(gone));
        Assert.Equal(new byte[] { 2 }, await ReadAllAsync(kept));
    }

    [Theory]
    [InlineData("runs/vet_lva/r1/prepare/attendees.csv")]
    [InlineData("inputs/lvs2024 seminar scans.csv")]
    [InlineData("inputs/Grüße #2 & more?.csv")]
    [InlineData("A/b/C")]
    public void GetUri_lies_under_Root_and_TryGetPath_gives_the_path_back(string value)
    {
        var path = ArtifactPath.Parse(value);

        var uri = Store.GetUri(path);

        Assert.EndsWith("/", Store.Root.AbsoluteUri);
        Assert.StartsWith(Store.Root.AbsoluteUri, uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Empty(uri.Query);
        Assert.Empty(uri.Fragment);
        Assert.True(Store.TryGetPath(uri, out var back));
        Assert.Equal(path, back);
        Assert.True(Store.TryGetPath(new Uri(uri.AbsoluteUri), out var reparsed), "the URI's text must parse back too");
        Assert.Equal(path, reparsed);
    }

    [Fact]
    public void TryGetPath_is_false_for_uris_outside_the_store()
    {
        var longer = CreateStoreWithLongerName();
        var foreign = new[]
        {
            longer.GetUri(ArtifactPath.Parse("runs/a.csv")),
            Store.Root,
            new Uri(Store.Root, "../outside.csv"),
            new Uri(Store.Root.AbsoluteUri + "runs/a.csv?version=2"),
            new Uri(Store.Root.AbsoluteUri + "runs/a.csv#part"),
            new Uri(Store.Root.AbsoluteUri + "runs/%252e%252e/a.csv"),
            new Uri("https://example.com/runs/a.csv"),
            new Uri("file:///etc/passwd"),
        };

        foreach (var uri in foreign)
            Assert.False(Store.TryGetPath(uri, out _), $"{uri} is not inside {Store.Root}");
    }

    [Fact]
    public async Task A_path_with_spaces_round_trips_through_put_list_read_and_uri()
    {
        var path = ArtifactPath.Parse("inputs/lvs2024 seminar scans.csv");
        var bytes = Encoding.UTF8.GetBytes("badge;session\n17;keynote\n");

        var stored = await PutAsync(path, bytes);

        Assert.True(await Store.ExistsAsync(path));
        Assert.Equal(bytes, await ReadAllAsync(path));
        var listed = Assert.Single(await ListAsync("inputs/lvs2024 "));
        Assert.Equal(path, listed.Path);
        Assert.Contains("lvs2024%20seminar%20scans.csv", stored.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(Store.TryGetPath(stored.Uri, out var back));
        Assert.Equal(path, back);
    }

    [Fact]
    public async Task While_a_put_is_in_progress_readers_see_the_previous_version()
    {
        var path = ArtifactPath.Parse("runs/r1/rank/recommendations.json");
        var previous = Encoding.UTF8.GetBytes("previous");
        await PutAsync(path, previous);
        var next = RandomBytes(256 * 1024, seed: 3);
        var slowWriter = new GatedStream(next, firstPartLength: 100 * 1024);

        var put = Store.PutAsync(path, slowWriter);
        await slowWriter.ReachedGate.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            Assert.Equal(previous, await ReadAllAsync(path));
            var listed = Assert.Single(await ListAsync("runs/"));
            Assert.Equal(previous.Length, listed.Length);
            Assert.Equal(Sha256Hex(previous), await Store.GetContentHashAsync(listed.Path));
        }
        finally
        {
            slowWriter.Open();
        }
        await put;

        AssertSameBytes(next, await ReadAllAsync(path));
    }

    [Fact]
    public async Task A_put_whose_source_fails_leaves_the_previous_version_and_nothing_else()
    {
        var path = ArtifactPath.Parse("runs/r1/prepare/attendees.csv");
        var previous = Encoding.UTF8.GetBytes("previous");
        await PutAsync(path, previous);

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(path, new FailingStream(RandomBytes(200_000, seed: 5), failAfter: 100_000)));
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(ArtifactPath.Parse("runs/r1/prepare/new.csv"),
            new FailingStream(RandomBytes(10, seed: 6), failAfter: 5)));

        Assert.Equal(previous, await ReadAllAsync(path));
        Assert.Equal([path], (await ListAsync("")).Select(a => a.Path));
    }

    [Fact]
    public async Task A_rendered_put_stores_every_write_of_the_rendering_with_its_hash()
    {
        var path = ArtifactPath.Parse("runs/r1/prepare/visitors.csv");
        var bytes = RandomBytes(3 * 1024 * 1024 + 77, seed: 11);

        // Writes of uneven sizes, by every write method a text or CSV writer may call.
        var stored = await Store.PutRenderedAsync(path, (stream, _) =>
        {
            var at = 0;
            for (var size = 1; at < bytes.Length; size = size * 3 % 200_003 + 1)
            {
                var n = Math.Min(size, bytes.Length - at);
                if (size % 2 == 0) stream.Write(bytes, at, n);
                else stream.Write(bytes.AsSpan(at, n));
                at += n;
            }
            stream.Flush();
        });

        AssertSameBytes(bytes, await ReadAllAsync(path));
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Sha256Hex(bytes), stored.Sha256);
        Assert.Equal(Sha256Hex(bytes), await Store.GetContentHashAsync(path));
        Assert.Equal(Store.GetUri(path), stored.Uri);
    }

    [Fact]
    public async Task A_rendered_put_whose_rendering_fails_leaves_the_previous_version_and_nothing_else()
    {
        var path = ArtifactPath.Parse("runs/r1/prepare/attendees.csv");
        var previous = Encoding.UTF8.GetBytes("previous");
        await PutAsync(path, previous);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.PutRenderedAsync(path, (stream, _) =>
        {
            stream.Write(RandomBytes(200_000, seed: 8));
            throw new InvalidDataException("a value could not be rendered");
        }));

        Assert.Equal("a value could not be rendered", error.Message);
        Assert.Equal(previous, await ReadAllAsync(path));
        Assert.Equal([path], (await ListAsync("")).Select(a => a.Path));
    }

    [Fact]
    public async Task An_uninitialised_path_is_refused()
    {
        ArtifactPath uninitialised = default;

        Assert.Throws<ArgumentException>(() => Store.GetUri(uninitialised));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.OpenReadAsync(uninitialised));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(uninitialised, new MemoryStream([1])));
    }

    [Fact]
    public async Task Copy_gives_the_target_the_sources_bytes_and_hash_and_replaces_what_was_there()
    {
        var source = ArtifactPath.Parse("runs/vet_lva/r1/recommendations/parts/candidates/0.bin");
        var target = ArtifactPath.Parse("reuse/vet_lva/recommendation-shards/key.bin");
        var bytes = RandomBytes(1024 * 1024 + 17, seed: 11);
        await PutAsync(source, bytes);

        await Store.CopyAsync(source, target);
        var replaced = RandomBytes(300, seed: 12);
        await PutAsync(source, replaced);
        await Store.CopyAsync(source, ArtifactPath.Parse("reuse/vet_lva/recommendation-shards/other.bin"));
        await Store.CopyAsync(source, target);

        AssertSameBytes(replaced, await ReadAllAsync(target));
        Assert.Equal(Sha256Hex(replaced), await Store.GetContentHashAsync(target));
        AssertSameBytes(replaced, await ReadAllAsync(source));
        Assert.Equal(["key.bin", "other.bin"], (await ListAsync("reuse/")).Select(e => e.Path.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copying_a_missing_artifact_throws_ArtifactNotFoundException_and_leaves_the_target_as_it_was()
    {
        var target = ArtifactPath.Parse("reuse/vet_lva/recommendation-shards/key.bin");
        var bytes = RandomBytes(1000, seed: 13);
        await PutAsync(target, bytes);
        var missing = ArtifactPath.Parse("runs/vet_lva/r1/recommendations/parts/candidates/9.bin");

        var thrown = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.CopyAsync(missing, target));

        Assert.Equal(Store.GetUri(missing), thrown.Uri);
        AssertSameBytes(bytes, await ReadAllAsync(target));
        Assert.Single(await ListAsync("reuse/"));
    }

    protected Task<StoredArtifact> PutAsync(ArtifactPath path, byte[] content) => Store.PutAsync(path, new MemoryStream(content));

    protected async Task<byte[]> ReadAllAsync(ArtifactPath path)
    {
        await using var stream = await Store.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<ArtifactEntry>> ListAsync(string prefix)
    {
        var artifacts = new List<ArtifactEntry>();
        await foreach (var artifact in Store.ListAsync(prefix)) artifacts.Add(artifact);
        return artifacts;
    }

    // Assert.Equal on megabyte arrays is slow and prints them whole when it fails.
    protected static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "content read back differs from content written");
    }

    protected static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
