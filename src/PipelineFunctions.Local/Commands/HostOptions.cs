using System.CommandLine;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.LocalEngine;

namespace PipelineFunctions.Local.Commands;

/// <summary>--store, --graph and --runs: where the local host keeps artifacts, graphs and its run store.</summary>
internal sealed class HostOptions(PaServices services)
{
    private readonly Option<string?> _store = StoreOptions.Store();
    private readonly GraphOptions _graph = new(services);
    private readonly Option<string?> _runs = new("--runs")
    {
        Description = "Run store (SQLite file) of the local orchestration runner. "
            + $"Default: ${LocalEngineOptions.RunStoreVariable}, else {LocalEngineOptions.DefaultRunStore}",
    };
    private readonly Option<bool> _verbose = new("--verbose") { Description = "Log progress to standard error" };

    public void AddTo(Command command)
    {
        command.Add(_store);
        command.Add(_graph.Folder);
        command.Add(_runs);
        command.Add(_verbose);
    }

    public LocalHost Create(ParseResult parseResult, Func<string, IArtifactStore>? openInput = null, int maxConcurrentRuns = 2) =>
        services.CreateLocalHost(services.OpenStore(parseResult.GetValue(_store)), _graph.Factory(parseResult), parseResult.GetValue(_runs),
            openInput ?? LocalPipelineServices.OpenAnyInput, parseResult.GetValue(_verbose), maxConcurrentRuns);
}
