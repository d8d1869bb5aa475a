namespace PipelineFunctions.Core.Orchestration.FanOut;

/// <summary>A fanned-out step's progress in the custom status, e.g. "12 of 20 shards".</summary>
public sealed record FanOutProgress(int Done, int Total, string Unit)
{
    public override string ToString() => $"{Done} of {Total} {Unit}";
}
