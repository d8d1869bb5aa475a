namespace PipelineFunctions.Core.Events;

public sealed class ControlGroupSettings
{
    public bool Enabled { get; init; } = true;
    public double Percentage { get; init; } = 5;
    public int Seed { get; init; } = 42;
}
