using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>
/// The store contract against Azurite; the class gets a fresh container and each test's store is its own prefix
/// inside it, which also exercises the prefix handling.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobArtifactStoreContractTests(AzuriteContainerFixture azurite)
    : ArtifactStoreContract(name => new BlobArtifactStore(azurite.Container, name)), IClassFixture<AzuriteContainerFixture>;
