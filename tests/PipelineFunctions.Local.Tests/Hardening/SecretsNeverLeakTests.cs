using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Local.Commands;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Hardening;

/// <summary>
/// Runs the pipeline with marker secrets in its environment (an Azure OpenAI key, once used for a failing remote
/// embedder) and scans everything written: standard output and error with verbose logs, the run store, the artifact
/// store and the graph. The marker must appear nowhere.
/// </summary>
public sealed class SecretsNeverLeakTests : IDisposable
{
    private const string Marker = "SECRET-MARKER-5f0c2d9e-api-key";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<(int Exit, string Output, string Error)> PaAsync(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(PaCommandLine).Assembly.Location);
        foreach (var argument in args) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--store");
        start.ArgumentList.Add(_temp.Combine("store"));
        start.ArgumentList.Add("--graph");
        start.ArgumentList.Add(_temp.Combine("graph"));
        start.ArgumentList.Add("--runs");
        start.ArgumentList.Add(_temp.Combine("runs.sqlite"));
        start.ArgumentList.Add("--verbose");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Marker_secrets_appear_in_no_log_status_summary_export_or_error()
    {
        // A port nothing listens on: the remote embedder fails, and its error travels to the run's status.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var environment = new Dictionary<string, string>
        {
            [AzureOpenAIEmbeddingOptions.EndpointVariable] = $"http://127.0.0.1:{port}/",
            [AzureOpenAIEmbeddingOptions.DeploymentVariable] = "embeddings",
            [AzureOpenAIEmbeddingOptions.ApiKeyVariable] = Marker,
        };

        var good = await PaAsync(environment, "run", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"),
            "--instance-id", "local-embedder");
        Assert.True(good.Exit == 0, good.Error);
        var failed = await PaAsync(environment, "run", "--event", "vet_lva", "--input", Repository.Sample("vet_lva"),
            "--instance-id", "remote-embedder", "--force",
            "--set", "embeddings.generator=azure_openai", "--set", "orchestration.embeddings.max_attempts=1");
        Assert.NotEqual(0, failed.Exit);
        var status = await PaAsync(environment, "status", "remote-embedder", "--json");
        Assert.Contains("Failed", status.Output);

        var written = new List<(string Where, string Text)>
        {
            ("stdout", good.Output + failed.Output + status.Output), ("stderr", good.Error + failed.Error + status.Error),
        };
        foreach (var file in Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories))
            written.Add((file, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file))));
        Assert.True(written.Count > 30, $"only {written.Count} places scanned");
        Assert.Contains(written, w => w.Text.Contains("127.0.0.1", StringComparison.Ordinal)); // the failure was recorded
        Assert.All(written, w => Assert.False(w.Text.Contains(Marker, StringComparison.Ordinal), $"the secret leaked into {w.Where}"));
    }
}
