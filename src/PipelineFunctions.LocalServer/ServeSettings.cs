using System.Net;

namespace PipelineFunctions.LocalServer;

/// <summary>How `pa serve` runs: where it listens, its key, where inputs are, and the weekly schedule (null: off).</summary>
public sealed record ServeSettings(IPAddress Address, int Port, ApiKey Key, InputsRoot Inputs, HostConfig? Schedule, bool Verbose = false)
{
    public const int DefaultPort = 7071;

    /// <summary>Largest request body accepted: a run request is a few hundred bytes.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;
}
