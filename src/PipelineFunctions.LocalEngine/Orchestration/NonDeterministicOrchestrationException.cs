namespace PipelineFunctions.LocalEngine.Orchestration;

/// <summary>The orchestration called something other than what its history recorded at that point.</summary>
internal sealed class NonDeterministicOrchestrationException(string message) : Exception(message);
