using System.Text.Json;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Commands;

/// <summary>
/// `pa run` on the committed sample: the CSV keeps the reference's columns unless recommendation.export_reasons asks for a
/// last <c>reason</c> column; the JSON always gives each recommended session its reason.
/// </summary>
public sealed class RunReasonsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> RunAsync(string id, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PaCommandLine.RunAsync(["run", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"), "--instance-id", id,
            "--store", _temp.Combine("store"), "--graph", _temp.Combine("graph"), "--runs", _temp.Combine("runs.sqlite"), .. extra], output, error);
        Assert.True(exitCode == 0, error.ToString());
        return Path.Combine(_temp.Combine("store"), "runs", "vet_lva", id, "recommendations");
    }

    [Fact]
    public async Task The_csv_ends_with_a_reason_column_only_when_export_reasons_is_set_and_the_json_always_has_reasons()
    {
        var plain = await RunAsync("plain");
        var withReasons = await RunAsync("reasons", "--steps", "recommendations", "--set", "recommendation.export_reasons=true");

        var plainLines = File.ReadAllLines(Path.Combine(plain, "recommendations.csv"));
        var reasonLines = File.ReadAllLines(Path.Combine(withReasons, "recommendations.csv"));
        Assert.EndsWith(",session_theatre_name,overlapping_sessions", plainLines[0]);
        Assert.Equal(plainLines[0] + ",reason", reasonLines[0]);
        Assert.Equal(plainLines.Length, reasonLines.Length);
        Assert.True(plainLines.Length > 100, $"{plainLines.Length} lines");
        // The same rows, each with a reason added at the end (the flag changes nothing else).
        for (var i = 1; i < plainLines.Length; i++) Assert.StartsWith(plainLines[i] + ",", reasonLines[i]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "recommendations.json")),
            File.ReadAllBytes(Path.Combine(withReasons, "recommendations.json")));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(plain, "recommendations.json")));
        var items = json.RootElement.GetProperty("recommendations").EnumerateObject()
            .SelectMany(v => v.Value.GetProperty("filtered_recommendations").EnumerateArray()).ToList();
        Assert.Equal(plainLines.Length - 1, items.Count);
        Assert.All(items, item => Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("reason").GetString())));
    }
}
