using System.Diagnostics;
using System.Text.Json;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Orchestration;
using Xunit.Abstractions;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>
/// The app as azd deploy publishes it: `dotnet publish -c Release` (here with -p:Neo4jAdapter=false, since this
/// package source lacks Neo4j.Driver) gives a folder whose functions.metadata lists every function with its trigger,
/// and the Neo4jAdapter switch takes the adapter into a publish and leaves it out of a plain build.
/// </summary>
public sealed class PublishTests(ITestOutputHelper output)
{
    private static string Project => Path.Combine(AzureHostPaths.ProjectFolder, "PipelineFunctions.csproj");

    [Fact]
    public async Task Publish_lists_the_orchestrator_every_activity_the_HTTP_functions_and_the_weekly_timer_in_functions_metadata()
    {
        var folder = Directory.CreateTempSubdirectory("pa-publish-");
        try
        {
            var (exitCode, log) = await DotnetAsync("publish", Project, "-c", "Release", "-p:Neo4jAdapter=false", "-o", folder.FullName, "-nologo",
                "-v", "q");
            Assert.True(exitCode == 0, log);

            using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "functions.metadata")));
            var functions = metadata.RootElement.EnumerateArray().ToDictionary(
                f => f.GetProperty("name").GetString()!,
                f => f.GetProperty("bindings").EnumerateArray().ToList());
            output.WriteLine(string.Join(", ", functions.Keys.Order(StringComparer.Ordinal)));

            Assert.Equal("orchestrationTrigger", Trigger(functions[PipelineOrchestration.Name]).GetProperty("type").GetString());
            foreach (var activity in PipelineActivityNames.All)
                Assert.Equal("activityTrigger", Trigger(functions[activity]).GetProperty("type").GetString());
            foreach (var (name, method, route) in new[] { ("StartPipelineRun", "post", "pipelines/{eventName}/runs"),
                ("GetPipelineRun", "get", "pipelines/runs/{id}") })
            {
                var trigger = Trigger(functions[name]);
                Assert.Equal(("httpTrigger", route, "Function"), (trigger.GetProperty("type").GetString(), trigger.GetProperty("route").GetString(),
                    trigger.GetProperty("authLevel").GetString()));
                Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
                Assert.Contains(functions[name], b => b.GetProperty("type").GetString() == "durableClient");
            }
            var timer = Trigger(functions["WeeklyRetrain"]);
            Assert.Equal(("timerTrigger", "%WEEKLY_RETRAIN_SCHEDULE%"), (timer.GetProperty("type").GetString(),
                timer.GetProperty("schedule").GetString()));
            Assert.Equal(PipelineActivityNames.All.Count + 4, functions.Count);

            // What the app reads at run time ships with it; the developer's local settings and the Neo4j adapter do not.
            foreach (var file in new[] { "host.json", "config/events/vet_lva.yaml", "config/events/vet_bva.yaml", "config/events/ecomm.yaml",
                "PipelineFunctions.AzureHost.dll" })
                Assert.True(File.Exists(Path.Combine(folder.FullName, file)), $"{file} is not in the published folder");
            Assert.False(File.Exists(Path.Combine(folder.FullName, "local.settings.json")));
            Assert.False(File.Exists(Path.Combine(folder.FullName, "PipelineFunctions.Neo4j.dll")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(false, null, "false")] // a plain build or test: no Neo4j.Driver needed
    [InlineData(true, null, "true")] // dotnet publish (azd deploy): the adapter always ships
    [InlineData(true, "false", "false")] // a publish told to leave it out (CI here)
    [InlineData(false, "true", "true")] // a build told to take it in
    public async Task The_Neo4j_adapter_is_in_a_publish_and_out_of_a_plain_build_unless_told_otherwise(bool publishing, string? told, string expected)
    {
        var arguments = new List<string> { "msbuild", Project, "-getProperty:Neo4jAdapter", "-getItem:ProjectReference", "-nologo" };
        if (publishing) arguments.Add("-p:_IsPublishing=true");
        if (told is not null) arguments.Add($"-p:Neo4jAdapter={told}");

        var (exitCode, log) = await DotnetAsync([.. arguments]);

        Assert.True(exitCode == 0, log);
        using var result = JsonDocument.Parse(log);
        Assert.Equal(expected, result.RootElement.GetProperty("Properties").GetProperty("Neo4jAdapter").GetString());
        var references = result.RootElement.GetProperty("Items").GetProperty("ProjectReference").EnumerateArray()
            .Select(r => Path.GetFileName(r.GetProperty("Identity").GetString()!)).ToList();
        Assert.Equal(expected == "true", references.Contains("PipelineFunctions.Neo4j.csproj"));
    }

    private static JsonElement Trigger(List<JsonElement> bindings) =>
        Assert.Single(bindings, b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AzureHostPaths.RepositoryRoot,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
