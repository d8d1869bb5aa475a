namespace PipelineFunctions.Core.Events;

public sealed class TheatreCapacitySettings
{
    public bool Enabled { get; init; } = true;
    public double Multiplier { get; init; } = 3.0;
}
