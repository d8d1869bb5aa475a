namespace PipelineFunctions.Core.Steps.DataPreparation;

/// <summary>A cleaned session: parsed times, canonical streams, key_text, expanded sponsor.</summary>
internal sealed record PreparedSession(
    string SessionId, DateOnly Date, TimeOnly StartTime, TimeOnly EndTime, string Theatre, string Title,
    IReadOnlyList<string> Streams, string Synopsis, string SponsoredSession, string SponsoredBy, string KeyText);
