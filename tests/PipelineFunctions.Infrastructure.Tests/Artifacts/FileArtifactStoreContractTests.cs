using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>The store contract against real files; each test's store is its own folder inside the class's temp folder.</summary>
public sealed class FileArtifactStoreContractTests(TempFolderFixture folder)
    : ArtifactStoreContract(name => new FileArtifactStore(Path.Combine(folder.Path, name))), IClassFixture<TempFolderFixture>;
