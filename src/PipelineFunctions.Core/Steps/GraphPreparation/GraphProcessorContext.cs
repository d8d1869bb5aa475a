using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>Everything a step-2 processor works from.</summary>
internal sealed record GraphProcessorContext(EventConfig Config, GraphIdentity Identity, GraphPreparationInputs Inputs, GraphWriteMode Mode);
