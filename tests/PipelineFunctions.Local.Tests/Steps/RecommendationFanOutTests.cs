using System.Text;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 4's activities as the orchestration calls them, each on its own: small messages with many shards, and a fan-in
/// whose shard or context artifact is missing or damaged fails with one error naming the file.
/// </summary>
public sealed class RecommendationFanOutTests : IDisposable
{
    private readonly PipelineFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private sealed record Ran(ActivityDriver Driver, IArtifactStore Store, StepActivityInput Input, FanOutPlan Plan, StepOutcome Outcome)
    {
        public ArtifactPath Parts => ArtifactPath.Parse($"runs/vet_lva/{Input.Plan.RunId}/recommendations/parts");

        public Task<StepOutcome> FinishAgainAsync() => Driver.FinishAsync(Input, Plan);
    }

    /// <summary>Steps 1 to 4 on a generated show, each fanned-out step through its plan, parts and fan-in activities.</summary>
    private async Task<Ran> RunAsync(int visitors, int shardSize)
    {
        var driver = new ActivityDriver(_fixture.Services());
        var request = new PipelineRunRequest("vet_lva", _fixture.Generate(visitors, seed: 3), Parameters: new Dictionary<string, string>
        {
            ["recommendation.shard_size"] = shardSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var input = await driver.PrepareAsync(request, "r1");
        while (true)
        {
            var (outcome, plan, _) = await driver.RunStepAsync(input);
            if (input.Step == PipelineSteps.Recommendations) return new Ran(driver, _fixture.Store, input, plan, outcome);
            input = ActivityDriver.Next(input, outcome);
        }
    }

    [Fact]
    public async Task With_many_shards_every_message_of_step_4_stays_small_and_a_damaged_shard_or_context_fails_the_fan_in_naming_it()
    {
        var ran = await RunAsync(visitors: 1500, shardSize: 10);
        Assert.Equal(StepStatuses.Succeeded, ran.Outcome.Status);
        Assert.Equal("shards", ran.Plan.Unit);
        Assert.True(ran.Plan.TotalParts >= 150, $"{ran.Plan.TotalParts} shards");
        Assert.Equal(ran.Plan.TotalParts, ran.Driver.Messages.Count(m => m.Activity == PipelineActivityNames.ScoreRecommendationShard));
        Assert.All(ran.Driver.Messages, m => Assert.True(m.Bytes < RunStatusLimits.ActivityMessageBytes, $"{m.Activity}: {m.Bytes} bytes"));

        var shard = ran.Parts.Combine("candidates", "00002.bin");
        var good = await ArtifactReader.ReadAllBytesAsync(ran.Store, shard, CancellationToken.None);
        await ran.Store.DeleteAsync(shard);
        var missing = await Assert.ThrowsAsync<PipelineInputException>(ran.FinishAgainAsync);
        Assert.Contains("candidates/00002.bin", missing.Message);
        Assert.Contains("has not been scored", missing.Message);

        await ran.Store.PutAsync(shard, new MemoryStream(good[..(good.Length / 2)]));
        var cut = await Assert.ThrowsAsync<PipelineInputException>(ran.FinishAgainAsync);
        Assert.Contains("candidates/00002.bin", cut.Message);

        await ran.Store.PutAsync(shard, new MemoryStream(Encoding.UTF8.GetBytes("not a shard")));
        var foreign = await Assert.ThrowsAsync<PipelineInputException>(ran.FinishAgainAsync);
        Assert.Contains("candidates/00002.bin", foreign.Message);

        await ran.Store.PutAsync(shard, new MemoryStream(good));
        var context = ran.Parts.Combine("context.json");
        var contextBytes = await ArtifactReader.ReadAllBytesAsync(ran.Store, context, CancellationToken.None);
        await ran.Store.PutAsync(context, new MemoryStream([.. contextBytes, (byte)' ']));
        var changed = await Assert.ThrowsAsync<PipelineInputException>(ran.FinishAgainAsync);
        Assert.Contains("context.json", changed.Message);
        await ran.Store.DeleteAsync(context);
        var gone = await Assert.ThrowsAsync<PipelineInputException>(ran.FinishAgainAsync);
        Assert.Contains("context.json", gone.Message);

        // Put back as it was, the fan-in publishes the same exports again.
        await ran.Store.PutAsync(context, new MemoryStream(contextBytes));
        var again = await ran.FinishAgainAsync();
        Assert.Equal(ran.Outcome.Outputs.Where(o => o.Name.EndsWith(".csv", StringComparison.Ordinal)).Select(o => o.Sha256),
            again.Outputs.Where(o => o.Name.EndsWith(".csv", StringComparison.Ordinal)).Select(o => o.Sha256));
    }
}
