using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Core.Steps.GraphPreparation;

/// <summary>
/// One of step 2's processors, run in a part of the step's fan-out (<see cref="GraphPreparationStep.Parts"/>), with the
/// step-1 artifacts it names read.
/// </summary>
internal interface IGraphProcessor
{
    string Name { get; }

    /// <summary>The step-1 outputs (<see cref="DataPreparation.DataPreparationOutputNames"/>) it reads.</summary>
    IReadOnlyList<string> Inputs { get; }

    /// <summary>
    /// The columns of the table <paramref name="input"/> (one of <see cref="Inputs"/>) it uses, or null for every column (a
    /// node's properties are its row): the others are not read into memory.
    /// </summary>
    IReadOnlyCollection<string>? Columns(string input, EventConfig config) => null;

    /// <summary>
    /// The work that needs only the inputs (nodes and links built in memory), returning the graph writes that finish it. A
    /// part prepares its next processor while the one before writes: the graph has one writer at a time, so the CPU work
    /// overlaps the writes instead of waiting for them. The result's duration is the preparation plus the write.
    /// </summary>
    GraphProcessorWrite Prepare(GraphProcessorContext context, CancellationToken cancellationToken);
}
