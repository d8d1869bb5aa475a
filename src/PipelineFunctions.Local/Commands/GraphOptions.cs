using System.CommandLine;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Local.Commands;

/// <summary>--graph (where the embedded graph databases live) and --environment (dev, test, prod: one database each).</summary>
internal sealed class GraphOptions(PaServices services)
{
    public Option<string?> Folder { get; } = new("--graph")
    {
        Description = "Folder of the embedded graph databases (<environment>.sqlite). "
            + $"Default: ${PaOptions.GraphVariable}, else {PaOptions.DefaultGraph}",
    };

    public Option<string?> Environment { get; } = new("--environment")
    {
        Description = "Graph environment: dev, test or prod (default: the config's graph.environment)",
    };

    public void AddTo(Command command)
    {
        command.Add(Folder);
        command.Add(Environment);
    }

    public IAgendaGraphFactory Factory(ParseResult parseResult) => services.Graphs(parseResult.GetValue(Folder));

    public string? EnvironmentOverride(ParseResult parseResult)
    {
        var environment = parseResult.GetValue(Environment);
        if (environment is not null && environment is not ("dev" or "test" or "prod"))
            throw new PipelineInputException("--environment", $"'{environment}' is not a graph environment: use dev, test or prod");
        return environment;
    }
}
