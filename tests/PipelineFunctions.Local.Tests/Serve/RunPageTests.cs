using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// A run's page as a browser shows it: headless Chromium loads /runs/{id}, the page draws its five charts with the
/// Chart.js that pa serve embeds, and marks each canvas with what Chart.js drew. The test saves a screenshot.
/// </summary>
[Collection(ServeRunsCollection.Name)]
public sealed partial class RunPageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Headless_Chromium_draws_every_chart_of_a_run_with_data_and_saves_a_screenshot()
    {
        await HeadlessChromium.EnsureInstalledAsync();
        await using var server = await ServeServer.StartAsync();
        // The first run trains a ranker; the second ranks with it (so the page says which version ranked it), trains a
        // second version, and has small theatre limits, so slots fill up and refuse pairs.
        await RunAsync(server, new { input = "vet_lva", instanceId = "page-first", retrain = true });
        await RunAsync(server, new
        {
            input = "vet_lva", instanceId = "page-run", retrain = true,
            parameters = new Dictionary<string, object> { ["recommendation.theatre_capacity.multiplier"] = 0.08 }
        });
        var charts = await RunChartsTests.GetChartsAsync(server, "page-run");
        Assert.Equal(2, charts.Models.Count);

        var page = new Uri(server.BaseUri, "/runs/page-run");
        var dom = await HeadlessChromium.DumpDomWhenAsync(page, d => d.Contains("data-charts=\"ready\"", StringComparison.Ordinal), Deadline);

        Assert.True(dom.Contains("data-charts=\"ready\"", StringComparison.Ordinal),
            $"the run page did not draw its charts within {Deadline}:\n{dom}");
        Assert.Matches("""<p id="error" class="error" hidden="[^"]*">""", dom);
        Assert.Contains($"ranked by learned_ranker:{charts.Models.Single(m => m.UsedByRun).Version}", dom);
        var theatres = charts.TheatreSlots.Where(s => s.Limit is not null).Select(s => s.Theatre).Distinct().Count();
        // Per chart: the datasets Chart.js holds, and how many points they draw (as the charts endpoint's figures say).
        AssertDrawn(dom, "chart-timeline", charts.Timeline.Select(b => b.Step).Distinct().Count(), charts.Timeline.Count);
        AssertDrawn(dom, "chart-strategies", 2, 2 * charts.Strategies.Count);
        AssertDrawn(dom, "chart-lengths", 1, charts.AgendaLengths.Count);
        AssertDrawn(dom, "chart-slots", theatres + 2,
            2 * charts.TheatreSlots.Count(s => s.Limit is not null) + charts.TheatreSlots.Count(s => s.Limit is not null && s.CapacityRefusals > 0));
        AssertDrawn(dom, "chart-models", 4, 4 * charts.Models.Count);

        // The list links each run to its page.
        Assert.Contains("""href="/runs/page-run">charts</a>""", await HeadlessChromium.DumpDomAsync(server.BaseUri));

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "run-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await HeadlessChromium.ScreenshotAsync(page, screenshot, 1400, 2000);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 50_000 && png.AsSpan(0, 4).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }),
            $"{screenshot} is not a full-page PNG ({png.Length} bytes)");
        output.WriteLine($"run page screenshot: {screenshot}");
        Assert.Equal(0, await server.StopAsync());
    }

    private static async Task RunAsync(ServeServer server, object body)
    {
        using var started = await server.SubmitAsync("vet_lva", body);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await server.WaitFinishedAsync(started.Headers.Location!);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
    }

    private static void AssertDrawn(string dom, string canvasId, int datasets, int points)
    {
        var canvas = Canvas().Matches(dom).Select(m => m.Value).SingleOrDefault(c => c.Contains($"id=\"{canvasId}\"", StringComparison.Ordinal));
        Assert.True(canvas is not null, $"no canvas {canvasId} in the page");
        Assert.True(points > 0, $"{canvasId}: the charts endpoint has no data for it");
        Assert.Contains("data-rendered=\"true\"", canvas, StringComparison.Ordinal);
        Assert.Contains($"data-datasets=\"{datasets}\"", canvas, StringComparison.Ordinal);
        Assert.Contains($"data-points=\"{points}\"", canvas, StringComparison.Ordinal);
    }

    [GeneratedRegex("<canvas [^>]*>")]
    private static partial Regex Canvas();
}
