namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

/// <summary>Test classes that talk to Azurite join this collection to share one emulator per test run.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
