using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.FanOut;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Graph;
using PipelineFunctions.Local.Tests.Support;
using PipelineFunctions.LocalEngine;
using PipelineFunctions.ShowGenerator;

namespace PipelineFunctions.Local.Tests.Steps;

/// <summary>
/// Step 4's activities as the orchestration calls them, each on its own: small messages with many shards, and a fan-in
/// whose shard or context artifact is missing or damaged fails with one error naming the file.
/// </summary>
public sealed class RecommendationFanOutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Ran(PipelineActivities Activities, IArtifactStore Store, StepActivityInput Input, FanOutPlan Plan, StepOutcome Outcome,
        List<(string Message, int Bytes)> Messages)
    {
        public ArtifactPath Parts => ArtifactPath.Parse($"runs/vet_lva/{Input.Plan.RunId}/recommendations/parts");

        public Task<StepOutcome> FinishAgainAsync() => Activities.FinishStepAsync(new StepFinishInput(Input, Plan));
    }

    /// <summary>Steps 1 to 4 on a generated show, each fanned-out step through its plan, parts and fan-in activities.</summary>
    private async Task<Ran> RunAsync(int visitors, int shardSize)
    {
        var config = EventConfigLoader.LoadFile(Path.Combine(Repository.Root, "config", "events", "vet_lva.yaml"));
        var inputs = _temp.Combine("inputs");
        ShowDataGenerator.Generate(config, new GenerationOptions(visitors, 3), inputs, CancellationToken.None);
        var store = ArtifactStoreLocator.Open(_temp.Combine("store"));
        var services = new LocalPipelineServices(store, new SqliteAgendaGraphFactory(_temp.Combine("graph")), Repository.Root,
            LocalPipelineServices.OpenAnyInput, NullLoggerFactory.Instance, TimeProvider.System);
        var activities = new PipelineActivities(services);
        var request = new PipelineRunRequest("vet_lva", inputs, Parameters: new Dictionary<string, string>
        {
            ["recommendation.shard_size"] = shardSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var run = new PipelineRunInput(request, "r1");
        var plan = await activities.PlanRunAsync(run);
        var outcomes = new List<StepOutcome>
        {
            await activities.PrepareDataAsync(new StepActivityInput(run, plan, PipelineSteps.DataPreparation, [])),
        };
        var messages = new List<(string, int)>();
        T Measured<T>(string message, T value)
        {
            messages.Add((message, PipelineJson.Serialize(value).Length));
            return value;
        }

        StepActivityInput input = null!;
        FanOutPlan fanOut = null!;
        foreach (var step in new[] { PipelineSteps.GraphPreparation, PipelineSteps.Embeddings, PipelineSteps.Recommendations })
        {
            var measure = step == PipelineSteps.Recommendations;
            input = new StepActivityInput(run, plan, step, outcomes.Select(o => o.ForLaterSteps()).ToList());
            if (measure) Measured(PipelineActivityNames.BeginRecommendations + " input", input);
            fanOut = await activities.BeginStepAsync(input);
            if (measure) Measured(PipelineActivityNames.BeginRecommendations + " output", fanOut);
            for (var wave = 0; wave < fanOut.Waves.Count; wave++)
                for (var part = 0; part < fanOut.Waves[wave]; part++)
                {
                    var partInput = new StepPartInput(input, fanOut, wave, part);
                    if (measure) Measured(PipelineActivityNames.ScoreRecommendationShard + " input", partInput);
                    var result = await activities.RunStepPartAsync(partInput);
                    if (measure) Measured(PipelineActivityNames.ScoreRecommendationShard + " output", result);
                }
            var finish = new StepFinishInput(input, fanOut);
            if (measure) Measured(PipelineActivityNames.FinishRecommendations + " input", finish);
            outcomes.Add(await activities.FinishStepAsync(finish));
            if (measure) Measured(PipelineActivityNames.FinishRecommendations + " output", outcomes[^1]);
        }
        return new Ran(activities, store, input, fanOut, outcomes[^1], messages);
    }

    [Fact]
    public async Task With_many_shards_every_message_of_step_4_stays_small_and_a_damaged_shard_or_context_fails_the_fan_in_naming_it()
    {
        var ran = await RunAsync(visitors: 1500, shardSize: 10);
        Assert.Equal(StepStatuses.Succeeded, ran.Outcome.Status);
        Assert.Equal("shards", ran.Plan.Unit);
        Assert.True(ran.Plan.TotalParts >= 150, $"{ran.Plan.TotalParts} shards");
        Assert.Equal(ran.Plan.TotalParts, ran.Messages.Count(m => m.Message == PipelineActivityNames.ScoreRecommendationShard + " input"));
        Assert.All(ran.Messages, m => Assert.True(m.Bytes < RunStatusLimits.ActivityMessageBytes, $"{m.Message}: {m.Bytes} bytes"));

        var shard = ran.Parts.Combine("candidates", "00002.bin");
        var good = await ReadAsync(ran.Store, shard);
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
        var contextBytes = await ReadAsync(ran.Store, context);
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

    private static async Task<byte[]> ReadAsync(IArtifactStore store, ArtifactPath path)
    {
        await using var stream = await store.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
