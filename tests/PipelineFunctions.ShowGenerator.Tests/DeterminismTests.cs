using System.Security.Cryptography;

namespace PipelineFunctions.ShowGenerator.Tests;

public sealed class DeterminismTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pa-generate-determinism-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void SameSeedAndArguments_WriteByteIdenticalFiles(string eventName)
    {
        var config = GeneratedInputSets.LoadConfig(eventName);
        var first = ShowDataGenerator.Generate(config, new GenerationOptions(300, 7), Path.Combine(_root, "a"));
        var second = ShowDataGenerator.Generate(config, new GenerationOptions(300, 7), Path.Combine(_root, "b"));

        Assert.Equal(first.Files.Select(f => f.Name), second.Files.Select(f => f.Name));
        Assert.Equal(first.Files, second.Files);
        foreach (var file in first.Files)
            Assert.True(Hash(Path.Combine(_root, "a", file.Name)) == Hash(Path.Combine(_root, "b", file.Name)),
                $"{file.Name} differs between two runs with the same seed");
    }

    [Fact]
    public void DifferentSeed_WritesDifferentFiles()
    {
        var config = GeneratedInputSets.LoadConfig("vet_lva");
        var first = ShowDataGenerator.Generate(config, new GenerationOptions(300, 7), Path.Combine(_root, "a"));
        ShowDataGenerator.Generate(config, new GenerationOptions(300, 8), Path.Combine(_root, "b"));

        var differing = first.Files.Count(f => Hash(Path.Combine(_root, "a", f.Name)) != Hash(Path.Combine(_root, "b", f.Name)));
        // The stream matrices come from the profile alone; every generated file (registrations, demographics, sessions, scans...) differs.
        Assert.True(differing >= first.Files.Count - 2, $"only {differing} of {first.Files.Count} files differ");
        var inputs = config.Inputs;
        foreach (var name in new[] { inputs.MainRegistration, inputs.MainDemographics, inputs.SessionsThisYear, inputs.ScansPastMain })
            Assert.NotEqual(Hash(Path.Combine(_root, "a", name)), Hash(Path.Combine(_root, "b", name)));
    }

    [Fact]
    public void Files_AreUtf8WithoutBom_WithUnixLineEndings()
    {
        var config = GeneratedInputSets.LoadConfig("vet_bva");
        var summary = ShowDataGenerator.Generate(config, new GenerationOptions(100, 3), Path.Combine(_root, "c"));
        foreach (var file in summary.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_root, "c", file.Name));
            Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"{file.Name} starts with a BOM");
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
            _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.Equal(file.Bytes, bytes.LongLength);
        }
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
