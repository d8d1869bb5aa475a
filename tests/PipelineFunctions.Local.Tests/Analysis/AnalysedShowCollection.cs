namespace PipelineFunctions.Local.Tests.Analysis;

/// <summary>The analysis tests share one pipeline run; they run one after another, as they rewrite the show's scans.</summary>
[CollectionDefinition(Name)]
public sealed class AnalysedShowCollection : ICollectionFixture<AnalysedShowFixture>
{
    public const string Name = "analysed show";
}
