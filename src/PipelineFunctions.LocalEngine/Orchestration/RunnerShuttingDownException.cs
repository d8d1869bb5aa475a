namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>A run submitted after the runner began shutting down: nothing was created; submit it again once the host is back.</summary>
public sealed class RunnerShuttingDownException()
    : Exception("the server is shutting down and accepts no new runs; submit again when it is back");
