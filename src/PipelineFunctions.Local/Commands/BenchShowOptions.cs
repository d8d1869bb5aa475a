using System.CommandLine;
using PipelineFunctions.Benchmarks;
using PipelineFunctions.Core.Events;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Commands;

/// <summary>--visitors, --seed and --data: the generated show a benchmark measures, shared by the `pa bench` commands.</summary>
internal sealed class BenchShowOptions
{
    public Option<int> Visitors { get; } = new("--visitors")
    {
        Description = "This year's visitors of the generated show", DefaultValueFactory = _ => 50_000,
    };

    public Option<int> Seed { get; } = new("--seed") { Description = "Generator seed", DefaultValueFactory = _ => GenerationOptions.DefaultSeed };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Input folder to measure; generated there when empty (default: .pa/bench/<event>-<visitors>-<seed>)",
    };

    public void AddTo(Command command)
    {
        command.Add(Visitors);
        command.Add(Seed);
        command.Add(Data);
    }

    /// <summary>The show's folder, generated there first unless a complete one is already cached.</summary>
    public async Task<string> EnsureShowAsync(ParseResult parseResult, EventConfig config, TextWriter error, CancellationToken cancellationToken)
    {
        var visitors = parseResult.GetValue(Visitors);
        var seed = parseResult.GetValue(Seed);
        var folder = Path.GetFullPath(parseResult.GetValue(Data) ?? BenchmarkShow.DefaultFolder(config.Event.Name, visitors, seed));
        await BenchmarkShow.EnsureGeneratedAsync(config, folder, new GenerationOptions(visitors, seed), error, cancellationToken);
        return folder;
    }
}
