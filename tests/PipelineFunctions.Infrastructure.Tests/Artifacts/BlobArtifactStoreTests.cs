using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>What only the blob store does: hash metadata, blobs from other tools, container creation, SAS hygiene.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobArtifactStoreTests(AzuriteContainerFixture azurite) : IClassFixture<AzuriteContainerFixture>
{
    private readonly string _prefix = "store-" + Guid.NewGuid().ToString("N")[..8];

    private BlobContainerClient Container => azurite.Container;

    [Fact]
    public async Task Put_stores_blob_under_the_prefix_with_its_sha256_in_metadata()
    {
        var store = new BlobArtifactStore(Container, _prefix + "/events/");
        var content = "id;name\n1;Ada\n"u8.ToArray();

        await store.PutAsync(ArtifactPath.Parse("runs/r1/out.csv"), new MemoryStream(content));

        var blob = Container.GetBlobClient($"{_prefix}/events/runs/r1/out.csv");
        BlobProperties properties = await blob.GetPropertiesAsync();
        Assert.Equal(Sha256Hex(content), properties.Metadata[BlobArtifactStore.Sha256MetadataKey]);
        Assert.Equal(content.Length, properties.ContentLength);
        Assert.Equal(new Uri(Container.Uri.AbsoluteUri + "/" + _prefix + "/events/"), store.Root);
    }

    [Fact]
    public async Task Blobs_written_by_other_tools_without_a_hash_are_hashed_from_their_content()
    {
        var store = new BlobArtifactStore(Container, _prefix);
        var content = Encoding.UTF8.GetBytes("uploaded with az storage blob upload");
        await Container.GetBlobClient($"{_prefix}/inputs/manual.csv").UploadAsync(new BinaryData(content));
        await Container.GetBlobClient($"{_prefix}/inputs/tampered.csv").UploadAsync(new MemoryStream(content),
            new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["sha256"] = "not-a-hash" } });

        Assert.Equal(Sha256Hex(content), await store.GetContentHashAsync(ArtifactPath.Parse("inputs/manual.csv")));
        Assert.Equal(Sha256Hex(content), await store.GetContentHashAsync(ArtifactPath.Parse("inputs/tampered.csv")));
        var listed = await ListAsync(store, "inputs/");
        Assert.Equal(["inputs/manual.csv", "inputs/tampered.csv"], listed.Select(a => a.Path.Value));
        Assert.All(listed, a => Assert.Equal(content.Length, a.Length));
    }

    [Fact]
    public async Task Blobs_whose_names_no_artifact_can_have_are_not_listed()
    {
        var store = new BlobArtifactStore(Container, _prefix);
        await store.PutAsync(ArtifactPath.Parse("runs/ok.csv"), new MemoryStream([1]));
        await Container.GetBlobClient($"{_prefix}/runs//double-slash.csv").UploadAsync(new BinaryData([1]));
        await Container.GetBlobClient($"{_prefix}/runs/100%.csv").UploadAsync(new BinaryData([1]));

        Assert.Equal(["runs/ok.csv"], (await ListAsync(store, "")).Select(a => a.Path.Value));
    }

    [Fact]
    public async Task A_missing_container_reads_as_empty_and_is_created_by_the_first_put()
    {
        var container = azurite.Azurite.CreateServiceClient().GetBlobContainerClient(AzuriteFixture.NewContainerName("created"));
        var store = new BlobArtifactStore(container);
        var path = ArtifactPath.Parse("runs/first.csv");
        try
        {
            Assert.False(await store.ExistsAsync(path));
            Assert.Empty(await ListAsync(store, ""));
            await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync(path));
            await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.GetContentHashAsync(path));
            await store.DeleteAsync(path);
            Assert.False((await container.ExistsAsync()).Value, "reading must not create the container");

            await store.PutAsync(path, new MemoryStream([1, 2]));

            Assert.True((await container.ExistsAsync()).Value);
            Assert.True(await store.ExistsAsync(path));
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_copy_is_made_in_the_account_with_the_hash_in_its_metadata_also_for_a_store_opened_with_a_SAS()
    {
        var sasUri = Container.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var store = new BlobArtifactStore(new BlobContainerClient(sasUri), _prefix);
        var content = "shard bytes"u8.ToArray();
        await store.PutAsync(ArtifactPath.Parse("runs/r1/0.bin"), new MemoryStream(content));

        await store.CopyAsync(ArtifactPath.Parse("runs/r1/0.bin"), ArtifactPath.Parse("reuse/key.bin"));

        BlobProperties properties = await Container.GetBlobClient($"{_prefix}/reuse/key.bin").GetPropertiesAsync();
        Assert.Equal(CopyStatus.Success, properties.CopyStatus);
        Assert.Equal(Sha256Hex(content), properties.Metadata[BlobArtifactStore.Sha256MetadataKey]);
        Assert.Equal(content, await ReadAllAsync(store, ArtifactPath.Parse("reuse/key.bin")));
    }

    [Fact]
    public async Task A_store_opened_with_a_SAS_never_puts_the_token_into_uris()
    {
        var sasUri = Container.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var signature = new BlobUriBuilder(sasUri).Sas.Signature;
        var store = new BlobArtifactStore(new BlobContainerClient(sasUri), _prefix);
        var path = ArtifactPath.Parse("runs/r1/out.csv");

        var stored = await store.PutAsync(path, new MemoryStream([7]));

        Assert.Equal([7], await ReadAllAsync(store, path));
        foreach (var text in new[] { store.Root.AbsoluteUri, stored.Uri.AbsoluteUri, store.GetUri(path).AbsoluteUri, store.ToString() })
        {
            Assert.DoesNotContain("sig=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Uri.EscapeDataString(signature), text, StringComparison.Ordinal);
        }
        Assert.True(store.TryGetPath(stored.Uri, out var back));
        Assert.Equal(path, back);
    }

    [Theory]
    [InlineData("../up")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    public void A_prefix_that_is_not_a_clean_relative_path_is_refused(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new BlobArtifactStore(Container, prefix));
    }

    private static async Task<List<ArtifactEntry>> ListAsync(IArtifactStore store, string prefix)
    {
        var artifacts = new List<ArtifactEntry>();
        await foreach (var artifact in store.ListAsync(prefix)) artifacts.Add(artifact);
        return artifacts;
    }

    private static async Task<byte[]> ReadAllAsync(IArtifactStore store, ArtifactPath path)
    {
        await using var stream = await store.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
