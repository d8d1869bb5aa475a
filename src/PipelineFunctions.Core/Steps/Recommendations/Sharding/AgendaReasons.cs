namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// One agenda's reasons as codes and arguments, rendered to text only when an export writes them: at a large show the
/// texts of every recommended session would hold hundreds of megabytes through the whole fan-in.
/// </summary>
internal sealed class AgendaReasons(
    RecommendationReasonText text, RecommendationReasonCode[] codes, int[] arguments, RecommendableSession[] sessions,
    IReadOnlyList<string> visitorValues) : IReadOnlyList<string>
{
    public int Count => codes.Length;

    // "Popular with visitors like you (...)" names the visitor, not the session: one text for all of an agenda's items.
    private string? _similar;

    public string this[int index] => codes[index] switch
    {
        RecommendationReasonCode.None => "",
        RecommendationReasonCode.PopularWithSimilarVisitors =>
            _similar ??= text.Render(codes[index], arguments[index], sessions[index], visitorValues),
        _ => text.Render(codes[index], arguments[index], sessions[index], visitorValues),
    };

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
