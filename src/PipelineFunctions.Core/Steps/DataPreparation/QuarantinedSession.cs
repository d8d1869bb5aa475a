namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A session row kept out of the outputs, with the reason.</summary>
public sealed record QuarantinedSession(string File, long Row, string SessionId, string Title, string Reason);
