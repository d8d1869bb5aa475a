namespace PipelineFunctions.ShowGenerator.Tests;

[CollectionDefinition(Name)]
public sealed class GeneratedInputSetsCollection : ICollectionFixture<GeneratedInputSets>
{
    public const string Name = "generated input sets";
}
