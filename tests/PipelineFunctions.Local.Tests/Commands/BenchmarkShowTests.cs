using PipelineFunctions.Benchmarks;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>A benchmark's cached show is measured again only while it is what this generator and config would make.</summary>
public sealed class BenchmarkShowTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pa-bench-show-" + Guid.NewGuid().ToString("N"));
    private static readonly EventConfig Config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_cached_show_is_reused_and_one_from_another_generator_is_generated_again()
    {
        var options = new GenerationOptions(60, 7);
        await BenchmarkShow.EnsureGeneratedAsync(Config, _folder, options, TextWriter.Null, CancellationToken.None);
        var registration = Path.Combine(_folder, Config.Inputs.MainRegistration);
        var generated = await File.ReadAllBytesAsync(registration);

        // The same generator and config: the cache is measured as it is (a changed file stays changed).
        await File.WriteAllTextAsync(registration, "[]");
        var progress = new StringWriter();
        await BenchmarkShow.EnsureGeneratedAsync(Config, _folder, options, progress, CancellationToken.None);
        Assert.Equal("[]", await File.ReadAllTextAsync(registration));
        Assert.Equal("", progress.ToString());

        // A cache an earlier generator wrote (its marker names another build): generated again, whole.
        var marker = Path.Combine(_folder, ".generated");
        await File.WriteAllTextAsync(marker, "generator 00000000-0000-0000-0000-000000000000, config 0");
        await File.WriteAllTextAsync(Path.Combine(_folder, "left-over.csv"), "x");
        await BenchmarkShow.EnsureGeneratedAsync(Config, _folder, options, progress, CancellationToken.None);
        Assert.Equal(generated, await File.ReadAllBytesAsync(registration));
        Assert.False(File.Exists(Path.Combine(_folder, "left-over.csv")));
        Assert.Contains("generating it again", progress.ToString());
        Assert.NotEqual("generator 00000000-0000-0000-0000-000000000000, config 0", await File.ReadAllTextAsync(marker));
    }
}
