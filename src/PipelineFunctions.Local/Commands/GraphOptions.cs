using System.CommandLine;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Graph;
using PipelineFunctions.Infrastructure.Graph;

namespace PipelineFunctions.Local.Commands;

/// <summary>--graph (where the embedded graph databases live) and --environment (dev, test, prod: one database each).</summary>
public sealed class GraphOptions
{
    public const string EnvironmentVariable = "PA_GRAPH";
    public const string DefaultFolder = ".pa/graph";

    public Option<string?> Folder { get; } = new("--graph")
    {
        Description = $"Folder of the embedded graph databases (<environment>.sqlite). Default: ${EnvironmentVariable}, else {DefaultFolder}",
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

    public IAgendaGraphFactory Factory(ParseResult parseResult) =>
        new SqliteAgendaGraphFactory(Path.GetFullPath(parseResult.GetValue(Folder) ?? System.Environment.GetEnvironmentVariable(EnvironmentVariable) ?? DefaultFolder));

    public string? EnvironmentOverride(ParseResult parseResult)
    {
        var environment = parseResult.GetValue(Environment);
        if (environment is not null && environment is not ("dev" or "test" or "prod"))
            throw new PipelineInputException("--environment", $"'{environment}' is not a graph environment: use dev, test or prod");
        return environment;
    }
}
