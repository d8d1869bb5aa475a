using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Reuse;

namespace PipelineFunctions.Core.Tests.Orchestration.Reuse;

/// <summary>The reuse key changes with the step, the resolved config and every part the step passes; nothing else.</summary>
public sealed class StepFingerprintTests
{
    [Fact]
    public void The_same_step_config_and_parts_give_the_same_fingerprint_and_any_difference_another()
    {
        var fingerprint = StepFingerprint.Of(Input(PipelineSteps.GraphPreparation, "config-1"), "previous", "dev", "full");

        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Equal(fingerprint, StepFingerprint.Of(Input(PipelineSteps.GraphPreparation, "config-1"), "previous", "dev", "full"));
        Assert.NotEqual(fingerprint, StepFingerprint.Of(Input(PipelineSteps.Embeddings, "config-1"), "previous", "dev", "full"));
        Assert.NotEqual(fingerprint, StepFingerprint.Of(Input(PipelineSteps.GraphPreparation, "config-2"), "previous", "dev", "full"));
        Assert.NotEqual(fingerprint, StepFingerprint.Of(Input(PipelineSteps.GraphPreparation, "config-1"), "previous", "dev", "incremental"));
        Assert.NotEqual(fingerprint, StepFingerprint.Of(Input(PipelineSteps.GraphPreparation, "config-1"), "previous", "dev"));
    }

    [Fact]
    public void The_run_id_is_not_part_of_the_fingerprint()
    {
        Assert.Equal(StepFingerprint.Of(Input(PipelineSteps.DataPreparation, "config-1", "run-1"), "inputs"),
            StepFingerprint.Of(Input(PipelineSteps.DataPreparation, "config-1", "run-2"), "inputs"));
    }

    private static StepActivityInput Input(string step, string configSha256, string runId = "run-1") =>
        new(new PipelineRunInput(new PipelineRunRequest("vet_lva", "inputs/vet_lva"), runId),
            new RunPlan(runId, "vet_lva", PipelineSteps.All, "dev", false, false, false, new Dictionary<string, ActivityRetryPolicy>(), configSha256),
            step, []);
}
