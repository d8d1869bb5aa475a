namespace PipelineFunctions.LocalServer;

/// <summary>What became of one event's weekly submission.</summary>
internal enum WeeklySubmissionResult
{
    Started,
    /// <summary>The week's instance exists already (this server, another process, or an earlier start): nothing to do.</summary>
    AlreadyExists,
    /// <summary>The request did not validate (unknown event, missing input folder, ...); logged, and the next occurrence tries again.</summary>
    Rejected,
    /// <summary>The server began shutting down: nothing was created (a catch-up on the next start may make it up).</summary>
    ShuttingDown,
}
