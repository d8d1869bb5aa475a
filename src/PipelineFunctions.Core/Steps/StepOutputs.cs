using Microsoft.Extensions.Logging;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Core.Steps;

/// <summary>What a step does with its outputs when its publication fails before the manifest is written.</summary>
internal static class StepOutputs
{
    /// <summary>
    /// Deletes what was written, best effort: without a manifest no reader takes the leftovers for a result, so a delete that
    /// fails too is only logged, and the publication's own error is the one the caller reports.
    /// </summary>
    public static async Task WithdrawAsync(IArtifactStore store, IEnumerable<ArtifactPath> written, ILogger logger)
    {
        foreach (var path in written)
        {
            try
            {
                await store.DeleteAsync(path, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not withdraw {Path} after a failed publication: {Error}", path.Value, e.Message);
            }
        }
    }
}
