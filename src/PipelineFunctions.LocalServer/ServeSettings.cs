using System.Net;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// How `pa serve` runs: where it listens, its key, where inputs are, the weekly schedule (null: off), and how long a
/// shutdown waits for the activities in flight (null: <see cref="DefaultShutdownGrace"/>).
/// </summary>
public sealed record ServeSettings(IPAddress Address, int Port, ApiKey Key, InputsRoot Inputs, HostConfig? Schedule, bool Verbose = false,
    TimeSpan? ShutdownGracePeriod = null)
{
    public const int DefaultPort = 7071;

    /// <summary>Seconds a shutdown waits for the activities in flight by default, and the most it may be set to.</summary>
    public const int DefaultShutdownGraceSeconds = 30, MaxShutdownGraceSeconds = 3600;

    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(DefaultShutdownGraceSeconds);

    public TimeSpan ShutdownGrace => ShutdownGracePeriod ?? DefaultShutdownGrace;

    /// <summary>Largest request body accepted: a run request is a few hundred bytes.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;
}
