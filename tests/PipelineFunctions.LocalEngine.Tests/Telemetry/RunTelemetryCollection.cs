namespace PipelineFunctions.LocalEngine.Tests.Telemetry;

/// <summary>Listeners see the whole process: the telemetry tests run alone, so the measurements they count are their runs'.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunTelemetryCollection
{
    public const string Name = "run telemetry";
}
