namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Rewords sentence templates per show: each word of a synonym group is replaced by the group's member for the
/// show's wording, so this year's sentences say "talk" and "hands-on" where last year's said "session" and "practical".
/// Placeholders ({topic}) and words outside every group are left alone.
/// </summary>
internal sealed class Paraphraser
{
    private readonly Dictionary<string, string[]> _groupOf = new(StringComparer.OrdinalIgnoreCase);

    public Paraphraser(IEnumerable<string[]> groups)
    {
        foreach (var group in groups)
            foreach (var word in group)
                _groupOf.TryAdd(word, group);
    }

    /// <summary>Past main show 0, this year 1, past secondary 2: this year never words a topic as the past main show did.</summary>
    public static int WordingOf(ShowRole role) => role switch
    {
        ShowRole.PastMain => 0,
        ShowRole.ThisYear => 1,
        _ => 2,
    };

    public string Rewrite(string template, ShowRole role)
    {
        var wording = WordingOf(role);
        var words = template.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var end = word.Length;
            while (end > 0 && !char.IsLetter(word[end - 1])) end--;
            if (end == 0 || word[0] == '{' || !_groupOf.TryGetValue(word[..end], out var group)) continue;
            var replacement = group[wording % group.Length];
            if (char.IsUpper(word[0])) replacement = char.ToUpperInvariant(replacement[0]) + replacement[1..];
            words[i] = replacement + word[end..];
        }
        return string.Join(' ', words);
    }
}
