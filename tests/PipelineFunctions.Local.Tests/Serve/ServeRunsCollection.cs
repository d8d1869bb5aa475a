namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// Tests that execute pipeline runs go one after another: each run takes both of the machine's cores for seconds,
/// and running several at once only makes every one of them slower and their timeouts tighter.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServeRunsCollection
{
    public const string Name = "serve: tests that execute runs";
}
