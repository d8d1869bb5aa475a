using System.CommandLine;
using PipelineFunctions.Core.Steps;
using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Local.Commands;

/// <summary>The options every command that continues a run shares: event, graph, store, run id, --json, --verbose.</summary>
internal sealed class RunStepOptions(PaServices services)
{
    private readonly EventConfigOptions _event = new();
    private readonly GraphOptions _graph = new(services);
    private readonly Option<string?> _store = StoreOptions.Store();
    private readonly Option<string?> _runId = new("--run-id") { Description = "The run to continue (default: the newest run that completed step 1)" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the step summary as JSON" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log progress to standard error" };

    public void AddTo(Command command)
    {
        _event.AddTo(command);
        _graph.AddTo(command);
        foreach (var option in new Option[] { _store, _runId, Json, Verbose }) command.Add(option);
    }

    /// <summary>The run a command continues: its config, store, graph and step-1 manifest, all validated before any work.</summary>
    public async Task<RunContext> ResolveAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var config = _event.Load(parseResult);
        var environment = _graph.EnvironmentOverride(parseResult);
        var store = services.OpenStore(parseResult.GetValue(_store));
        var prepared = await RunLocator.FindStepManifestAsync(
            store, config.Event.Name, DataPreparationOutputNames.StepName, parseResult.GetValue(_runId), cancellationToken);
        return new RunContext(config, store, _graph.Factory(parseResult), environment, prepared, RunLocator.RunIdOf(store, prepared));
    }
}
