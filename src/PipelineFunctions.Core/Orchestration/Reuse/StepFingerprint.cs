using System.Security.Cryptography;
using System.Text;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps;

namespace PipelineFunctions.Core.Orchestration.Reuse;

/// <summary>
/// The key under which a step's outputs are reused: the step, the code version, the config's hash and what the step
/// read (its inputs' hashes or the previous step's fingerprint) and was asked (environment, mode, model).
/// </summary>
internal static class StepFingerprint
{
    public static string Of(StepActivityInput input, params string[] parts) =>
        Sha256(string.Join('\n', new[] { input.Step, CodeVersion.Current, input.Plan.ConfigSha256 }.Concat(parts)));

    /// <summary>The hash of the resolved config (overrides applied) that every step's fingerprint includes.</summary>
    public static string OfConfig(EventConfig config) => Convert.ToHexStringLower(SHA256.HashData(PipelineJson.Serialize(config)));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
