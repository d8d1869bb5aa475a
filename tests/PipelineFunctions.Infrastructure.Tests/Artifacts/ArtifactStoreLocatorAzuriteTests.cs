using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>The locator's blob forms against a real emulator: what it opens must actually work.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArtifactStoreLocatorAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_connection_string_with_a_container_opens_a_working_store_that_creates_the_container()
    {
        var containerName = AzuriteFixture.NewContainerName("locator");
        var store = ArtifactStoreLocator.Open(azurite.ConnectionString + ";Container=" + containerName);
        var path = ArtifactPath.Parse("inputs/lvs2024 seminar scans.csv");
        var container = azurite.CreateServiceClient().GetBlobContainerClient(containerName);
        try
        {
            await store.PutAsync(path, new MemoryStream("badge\n17\n"u8.ToArray()));

            Assert.True((await container.GetBlobClient("inputs/lvs2024 seminar scans.csv").ExistsAsync()).Value);
            var listed = new List<ArtifactEntry>();
            await foreach (var artifact in store.ListAsync("")) listed.Add(artifact);
            Assert.Equal(path, Assert.Single(listed).Path);
            Assert.Equal(new Uri(container.Uri.AbsoluteUri + "/"), store.Root);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_prefix_after_the_container_name_places_artifacts_under_it()
    {
        var containerName = AzuriteFixture.NewContainerName("locatorprefix");
        var store = ArtifactStoreLocator.Open(azurite.ConnectionString + ";Container=" + containerName + "/events/vet_lva");
        var container = azurite.CreateServiceClient().GetBlobContainerClient(containerName);
        try
        {
            await store.PutAsync(ArtifactPath.Parse("runs/r1/a.csv"), new MemoryStream([1]));

            Assert.True((await container.GetBlobClient("events/vet_lva/runs/r1/a.csv").ExistsAsync()).Value);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }
}
