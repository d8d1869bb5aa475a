using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Telemetry;
using Names = PipelineFunctions.Core.Telemetry.PipelineTelemetryNames;

namespace PipelineFunctions.Core.Tests.Telemetry;

/// <summary>A run's end counts a degraded ranker model on the pipeline's meter, per event; a sound one is not counted.</summary>
public sealed class RankerDegradationTelemetryTests
{
    private static RunSummary Summary(string eventName, RetrainingOutcome retraining)
    {
        var start = new DateTime(2026, 11, 22, 4, 0, 0, DateTimeKind.Utc);
        return new RunSummary("run-1", eventName, StepStatuses.Succeeded, new PipelineRunRequest(eventName, eventName), start, start.AddMinutes(1),
            [], retraining, null);
    }

    [Fact]
    public void A_degraded_model_adds_one_to_the_degradations_counter_of_its_event()
    {
        // Other tests may end runs meanwhile: only this test's events are looked at.
        var (degradedEvent, soundEvent) = ($"degraded-{Guid.NewGuid():N}", $"sound-{Guid.NewGuid():N}");
        var counted = new ConcurrentQueue<(long Value, string? Event, string Unit)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Names.MeterName && instrument.Name == Names.Instruments.RankerDegradations)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            counted.Enqueue((value, tags.ToArray().FirstOrDefault(t => t.Key == Names.Attributes.Event).Value as string, instrument.Unit!)));
        listener.Start();
        var telemetry = new RunEndTelemetry(NullLoggerFactory.Instance);

        telemetry.Record(new RunEndedInput("run-1", Summary(degradedEvent, new RetrainingOutcome("m2", false, "kept", 0.2, 0.19, "m1")
        {
            CurrentRegisteredNdcgAt10 = 0.4, Degradation = "model degradation: ...",
        })));
        telemetry.Record(new RunEndedInput("run-1", Summary(soundEvent, new RetrainingOutcome("m2", false, "kept", 0.4, 0.39, "m1")
        {
            CurrentRegisteredNdcgAt10 = 0.4,
        })));

        var mine = counted.Where(c => c.Event == degradedEvent || c.Event == soundEvent).ToList();
        Assert.Equal([(1L, degradedEvent, Names.Units.Degradations)], mine);
    }
}
