using System.Diagnostics;
using PipelineFunctions.Core.Events;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Benchmarks;

/// <summary>
/// The input folder a benchmark measures: generated once and cached. A marker names a folder being generated, so one
/// that was interrupted is generated again rather than measured half written.
/// </summary>
public static class BenchmarkShow
{
    private const string CompleteMarker = ".generated";
    private const string GeneratingMarker = ".generating";

    /// <summary>The cache folder of a generated show, relative to the current folder.</summary>
    public static string DefaultFolder(string eventName, int visitors, int seed) => Path.Combine(".pa", "bench", $"{eventName}-{visitors}-{seed}");

    /// <summary>A folder of real inputs is measured as it is; an empty or half-generated one is (re)generated first.</summary>
    public static async Task EnsureGeneratedAsync(
        EventConfig config, string folder, GenerationOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var holdsInputs = Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any();
        if (File.Exists(Path.Combine(folder, CompleteMarker)) || (holdsInputs && !File.Exists(Path.Combine(folder, GeneratingMarker)))) return;

        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, GeneratingMarker), "", cancellationToken);
        await progress.WriteLineAsync($"generating {options.Visitors:N0} visitors into {folder} ...");
        var watch = Stopwatch.StartNew();
        ShowDataGenerator.Generate(config, options, folder, cancellationToken);
        File.Move(Path.Combine(folder, GeneratingMarker), Path.Combine(folder, CompleteMarker));
        await progress.WriteLineAsync($"generated in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
