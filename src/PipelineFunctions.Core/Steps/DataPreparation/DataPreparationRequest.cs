using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <param name="Inputs">Where the event's input files are (names come from the config's inputs section).</param>
/// <param name="Outputs">Where runs/&lt;event&gt;/&lt;runId&gt;/data_preparation/ is written.</param>
public sealed record DataPreparationRequest(EventConfig Config, IArtifactStore Inputs, IArtifactStore Outputs, string RunId);
