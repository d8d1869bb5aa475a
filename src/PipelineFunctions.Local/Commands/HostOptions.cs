using System.CommandLine;
using PipelineFunctions.Local.Orchestration;

namespace PipelineFunctions.Local.Commands;

/// <summary>--store, --graph and --runs: where the local host keeps artifacts, graphs and its run store.</summary>
public sealed class HostOptions
{
    private readonly Option<string?> _store = StoreOptions.Store();
    private readonly GraphOptions _graph = new();
    private readonly Option<string?> _runs = new("--runs")
    {
        Description = $"Run store (SQLite file) of the local orchestration runner. Default: ${LocalHost.RunStoreVariable}, else {LocalHost.DefaultRunStore}",
    };
    private readonly Option<bool> _verbose = new("--verbose") { Description = "Log progress to standard error" };

    public void AddTo(Command command)
    {
        command.Add(_store);
        command.Add(_graph.Folder);
        command.Add(_runs);
        command.Add(_verbose);
    }

    public LocalHost Create(ParseResult parseResult, Func<string, Core.Artifacts.IArtifactStore>? openInput = null, int maxConcurrentRuns = 2) =>
        new(Infrastructure.Artifacts.ArtifactStoreLocator.Open(StoreOptions.Resolve(parseResult.GetValue(_store))), _graph.Factory(parseResult),
            LocalHost.ResolveRunStore(parseResult.GetValue(_runs)), PaCommandLine.FindConfigRoot(), openInput ?? LocalPipelineServices.OpenAnyInput,
            CliLogging.Create(parseResult.GetValue(_verbose)), TimeProvider.System, maxConcurrentRuns);
}
