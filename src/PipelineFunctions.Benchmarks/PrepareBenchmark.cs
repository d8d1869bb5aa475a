using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.DataPreparation;

namespace PipelineFunctions.Benchmarks;

/// <summary>Step 1 on a folder of inputs, several times, into a throw-away file store. Target: 15 s and 1.5 GB at 50,000 visitors.</summary>
public static class PrepareBenchmark
{
    public const double TargetSeconds = 15;
    public const long TargetPeakBytes = 1536L << 20;

    public static async Task<BenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, int runs, CancellationToken cancellationToken)
    {
        using var workspace = new BenchmarkWorkspace("prepare");
        var measured = new List<BenchmarkRun>();
        DataPreparationResult? last = null;
        for (var run = 1; run <= runs; run++)
        {
            var runId = $"bench-{run}";
            measured.Add(await BenchmarkTimer.MeasureAsync(run == 1 ? "1 (cold)" : $"{run}",
                async () => last = await workspace.PrepareAsync(config, dataFolder, cancellationToken, runId)));
        }

        var registrations = last!.Metadata.Processors["registrations"].Counts;
        long Scans(string processor) => last.Metadata.Processors[processor].Counts.GetValueOrDefault("scans_read");
        var facts = new Dictionary<string, long>
        {
            ["visitors this year"] = registrations.GetValueOrDefault("visitors_this_year"),
            ["registration rows"] = registrations.GetValueOrDefault("rows_read"),
            ["demographic rows"] = ShowFacts.DemographicRows(dataFolder, config),
            ["scans"] = Scans("scans_past_main") + Scans("scans_past_secondary"),
            ["input MB"] = last.Manifest.Inputs.Sum(i => i.Bytes) >> 20,
        };
        return new BenchmarkFigures("prepare", config.Event.Name, dataFolder, facts, measured, BenchmarkTimer.PeakWorkingSet(),
            Environment.ProcessorCount, TargetSeconds, TargetPeakBytes);
    }
}
