using Azure.Storage.Blobs;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>One fresh container per test class, deleted when the class is done.</summary>
public sealed class AzuriteContainerFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public BlobContainerClient Container { get; private set; } = null!;

    public AzuriteFixture Azurite => azurite;

    public async Task InitializeAsync() => Container = await azurite.CreateContainerAsync("artifacts");

    public async Task DisposeAsync() => await Container.DeleteIfExistsAsync();
}
