using PipelineFunctions.Core;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// The simulated show's outcome. <paramref name="Uplift"/> is ABSOLUTE: it is added to the probability that a treated visitor
/// attends each of their recommended sessions (0.10: ten percentage points), so it is the expected difference in hit rate at k
/// between treatment and control. The same seed and exports give the same files.
/// </summary>
public sealed record OutcomeOptions(double Uplift, int Seed)
{
    /// <summary>The highest uplift: base probabilities are at most <see cref="ShowOutcomeSimulator.MaxBaseProbability"/>, so no
    /// treated probability is cut at 1 and the planted uplift stays exactly the expected difference.</summary>
    public const double MaxUplift = 1 - ShowOutcomeSimulator.MaxBaseProbability;

    public void Validate()
    {
        if (!double.IsFinite(Uplift) || Uplift is < 0 or > MaxUplift)
            throw new PipelineInputException("--uplift", FormattableString.Invariant($"must be between 0 and {MaxUplift} (got {Uplift}): ") +
                "the absolute uplift, added to a treated visitor's chance of attending each recommended session");
    }
}
