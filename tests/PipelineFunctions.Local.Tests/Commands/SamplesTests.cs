using System.Security.Cryptography;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>The committed samples are exactly what the generator writes, so they never drift from it unnoticed.</summary>
public sealed class SamplesTests
{
    public const int SampleVisitors = 120;
    public const int SampleSeed = 42;

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void Committed_sample_equals_a_fresh_generation_and_stays_under_one_megabyte(string eventName)
    {
        using var temp = new TempFolder();
        var config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", eventName + ".yaml"));
        ShowDataGenerator.Generate(config, new GenerationOptions(SampleVisitors, SampleSeed), temp.Path, CancellationToken.None);

        var sample = Repository.Sample(eventName);
        var committed = Directory.GetFiles(sample).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var fresh = Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(fresh, committed);
        foreach (var name in fresh)
            Assert.True(Hash(Path.Combine(sample, name!)) == Hash(temp.Combine(name!)),
                $"samples/{eventName}/{name} differs from a fresh generation: " +
                $"regenerate with `pa generate --event {eventName} --out samples/{eventName} --visitors {SampleVisitors} --seed {SampleSeed}`");
        Assert.True(Directory.GetFiles(sample).Sum(f => new FileInfo(f).Length) < 1024 * 1024);
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
