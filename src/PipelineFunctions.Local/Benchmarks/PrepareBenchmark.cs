using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.DataPreparation;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Local.Benchmarks;

/// <summary>Figures of one measured step-1 run.</summary>
public sealed record PrepareRunFigures(int Run, double Seconds, long AllocatedBytes);

/// <summary>What `pa bench prepare` measured, in the process that ran the step and nothing else.</summary>
public sealed record PrepareBenchmarkFigures(
    string Event, string DataFolder, long InputBytes, long DemographicRows, long ScansRead, long VisitorsThisYear,
    long RegistrationRows, IReadOnlyList<PrepareRunFigures> Runs, long PeakWorkingSetBytes, int ProcessorCount)
{
    public double BestSeconds => Runs.Min(r => r.Seconds);
    public double MedianSeconds => Runs.Select(r => r.Seconds).Order().ElementAt(Runs.Count / 2);
}

/// <summary>
/// Runs step 1 on a folder of inputs several times, into a throw-away file store, and reports wall time per run,
/// allocations and the process's peak working set (VmHWM), which covers every run including the first, cold one.
/// </summary>
public static class PrepareBenchmark
{
    public static async Task<PrepareBenchmarkFigures> MeasureAsync(EventConfig config, string dataFolder, int runs, CancellationToken cancellationToken)
    {
        var inputs = ArtifactStoreLocator.Open(dataFolder);
        var scratch = Directory.CreateTempSubdirectory("pa-bench-prepare-");
        try
        {
            var outputs = ArtifactStoreLocator.Open(scratch.FullName);
            var step = new DataPreparationStep(NullLogger<DataPreparationStep>.Instance, TimeProvider.System);
            var figures = new List<PrepareRunFigures>();
            DataPreparationResult? last = null;
            for (var run = 1; run <= runs; run++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                last = await step.RunAsync(new DataPreparationRequest(config, inputs, outputs, $"bench-{run}"), cancellationToken);
                watch.Stop();
                figures.Add(new PrepareRunFigures(run, watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore));
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var registrations = last!.Metadata.Processors["registrations"].Counts;
            long Scans(string processor) => last.Metadata.Processors[processor].Counts.GetValueOrDefault("scans_read");
            var demographicFiles = new[] { config.Inputs.MainDemographics, config.Inputs.SecondaryDemographics };
            return new PrepareBenchmarkFigures(
                config.Event.Name, dataFolder,
                last.Manifest.Inputs.Sum(i => i.Bytes),
                DemographicRows: CountJsonObjects(dataFolder, demographicFiles),
                ScansRead: Scans("scans_past_main") + Scans("scans_past_secondary"),
                VisitorsThisYear: registrations.GetValueOrDefault("visitors_this_year"),
                RegistrationRows: registrations.GetValueOrDefault("rows_read"),
                figures, process.PeakWorkingSet64, Environment.ProcessorCount);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Answer rows in the demographic exports: one object per answer, so count object starts at depth 1.</summary>
    private static long CountJsonObjects(string folder, IEnumerable<string> files)
    {
        long count = 0;
        foreach (var file in files)
        {
            var reader = new System.Text.Json.Utf8JsonReader(File.ReadAllBytes(Path.Combine(folder, file)));
            while (reader.Read())
                if (reader.TokenType == System.Text.Json.JsonTokenType.StartObject && reader.CurrentDepth == 1) count++;
        }
        return count;
    }
}
