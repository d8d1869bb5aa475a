namespace PipelineFunctions.ShowGenerator;

/// <summary>A session of this year's export, as the outcome simulation needs it.</summary>
internal sealed record OutcomeSession(string SessionId, string Title, DateOnly Date, TimeOnly Start, TimeOnly End)
{
    public bool Overlaps(OutcomeSession other) => Date == other.Date && Start < other.End && other.Start < End;

    /// <summary>A scan at the door, up to ten minutes after the start.</summary>
    public DateTime ScanTime(Random rng) => Date.ToDateTime(Start).AddSeconds(rng.Next(0, 600));
}
