using System.Globalization;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// A show's seminar programme: 8-12 theatres over the show days, 30-60 minute sessions between 09:00 and 18:00,
/// 150-420 sessions. Each theatre has a home stream; sessions carry 1-3 streams and treat a topic of their first
/// stream (a quarter of them a second topic of any of their streams). Quirks: blank titles,
/// placeholder titles, and exact repeats of earlier sessions at a later time.
/// </summary>
internal sealed class SessionProgrammeBuilder(EventConfig config, GenerationProfile profile, StreamCatalogue streams, TopicCatalogue topics,
    SessionTitleFactory titles)
{
    public const int MinSessions = 150, MaxSessions = 420, MinTheatres = 8, MaxTheatres = 16;
    public const double HomeStreamShare = 0.55, SponsoredShare = 0.2, SecondTopicShare = 0.25;

    /// <summary>Sessions a theatre fits in a day with the relaxed mix of lengths and breaks (about 63 minutes each, half with lunch).</summary>
    private const double RelaxedSessionsPerDay = 7.5;
    private static readonly int[] RelaxedDurations = [30, 45, 45, 60, 60], DenseDurations = [30, 30, 45, 45, 60];
    private static readonly int[] RelaxedBreaks = [0, 15, 15, 30], DenseBreaks = [0, 0, 15];
    private static readonly int[] StartOffsets = [0, 0, 15, 30];
    private static readonly TimeOnly DayStart = new(9, 0), DayEnd = new(18, 0), LunchStart = new(12, 30), LunchEnd = new(13, 30);

    private readonly List<string> _sponsorAbbreviations = config.Sessions.SponsorAbbreviations
        .Where(p => !IsNotSponsored(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
    private readonly List<string> _notSponsoredMarkers = config.Sessions.SponsorAbbreviations
        .Where(p => IsNotSponsored(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
    /// <summary>Placeholder titles from the config that have letters ("-" is left out: it reads as a blank title).</summary>
    private readonly List<string> _placeholderTitles =
        config.Sessions.TitlesToRemove.Where(t => t.Any(char.IsLetter)).Order(StringComparer.Ordinal).ToList();

    private readonly record struct Slot(int Day, DateOnly Date, TimeOnly Start, TimeOnly End, Theatre Theatre);

    /// <summary>150 sessions, one more per 200 visitors, up to 410 (plus up to 10 at random): a 50,000-visitor show runs about 400.</summary>
    public static int TargetSessions(int visitors) => Math.Min(MaxSessions - 10, MinSessions + visitors / 200);

    public SessionProgramme Build(ShowPlan show, int visitors, Random rng)
    {
        var target = TargetSessions(visitors) + rng.Between(0, 10);
        var theatreCount = Math.Clamp((int)Math.Ceiling(target / (show.Days.Count * RelaxedSessionsPerDay)), MinTheatres, MaxTheatres);
        var dense = theatreCount * show.Days.Count * RelaxedSessionsPerDay < target;
        var theatres = Theatres(theatreCount, visitors, rng);
        var slots = Slots(show, theatres, target, dense, rng);
        var kinds = Kinds(slots.Count, rng);

        var sessions = new List<GeneratedSession>(slots.Count);
        for (var i = 0; i < slots.Count; i++)
        {
            var id = $"{show.ShowRef}-{(i + 1).ToString("D4", CultureInfo.InvariantCulture)}";
            var original = kinds[i] == SessionKind.Repeat ? RepeatOf(sessions, slots[i], rng) : null;
            sessions.Add(original is not null
                ? Repeat(original, id, slots[i])
                : NewSession(show.Role, id, slots[i], kinds[i] == SessionKind.Repeat ? SessionKind.Regular : kinds[i], rng));
        }
        return new SessionProgramme(show, theatres, sessions);
    }

    /// <summary>Which slots hold a quirk: 3-5 repeats in the later half, 2-4 blank titles and 2-3 placeholders anywhere else.</summary>
    private SessionKind[] Kinds(int slotCount, Random rng)
    {
        var kinds = new SessionKind[slotCount];
        var laterHalf = Enumerable.Range(slotCount / 2, slotCount - slotCount / 2).ToList();
        foreach (var i in rng.PickDistinct(laterHalf, rng.Between(3, 5))) kinds[i] = SessionKind.Repeat;
        var blankCount = rng.Between(2, 4);
        var placeholderCount = _placeholderTitles.Count > 0 ? rng.Between(2, 3) : 0;
        var free = Enumerable.Range(0, slotCount).Where(i => kinds[i] == SessionKind.Regular).ToList();
        var quirkSlots = rng.PickDistinct(free, blankCount + placeholderCount);
        for (var q = 0; q < quirkSlots.Count; q++) kinds[quirkSlots[q]] = q < blankCount ? SessionKind.BlankTitle : SessionKind.Placeholder;
        return kinds;
    }

    private GeneratedSession NewSession(ShowRole role, string id, Slot slot, SessionKind kind, Random rng)
    {
        var sessionStreams = StreamsFor(slot.Theatre, rng);
        var primary = streams.Get(sessionStreams[0]);
        string title, synopsis;
        IReadOnlyList<int> sessionTopics = [];
        switch (kind)
        {
            case SessionKind.BlankTitle:
                (title, synopsis) = ("", titles.Synopsis(rng, role, rng.Pick(topics.Of(primary.Name)), null, primary, []));
                break;
            case SessionKind.Placeholder:
                (title, synopsis) = (VaryCase(rng.Pick(_placeholderTitles), rng), rng.Pick(["", "Details to follow."]));
                break;
            default:
                var topic = rng.Pick(topics.Of(primary.Name));
                var others = sessionStreams.SelectMany(topics.Of).Where(t => t.Id != topic.Id).Distinct().ToList();
                var second = others.Count > 0 && rng.Chance(SecondTopicShare) ? rng.Pick(others) : null;
                sessionTopics = second is null ? [topic.Id] : [topic.Id, second.Id];
                title = titles.NewTitle(rng, role, topic, primary);
                synopsis = titles.Synopsis(rng, role, topic, second, primary, sessionStreams.Skip(1).Select(streams.Get).ToList());
                break;
        }
        var (sponsored, sponsor) = Sponsorship(rng);
        return new GeneratedSession(id, slot.Day, slot.Date, slot.Start, slot.End, slot.Theatre, title, sessionStreams, synopsis, sponsored, sponsor,
            ShortName(sessionStreams[0], slot), kind, Popularity(slot.Theatre, rng), sessionTopics);
    }

    /// <summary>The same session run again: same title, streams, synopsis and sponsor; its own id, slot and short name.</summary>
    private GeneratedSession Repeat(GeneratedSession original, string id, Slot slot) => original with
    {
        SessionId = id,
        Day = slot.Day,
        Date = slot.Date,
        Start = slot.Start,
        End = slot.End,
        Theatre = slot.Theatre,
        ShortName = ShortName(original.Streams[0], slot),
        Kind = SessionKind.Repeat,
        Popularity = original.Popularity * 0.8,
    };

    /// <summary>
    /// Theatres seat 40-300 at a show of up to 5,000 visitors; a bigger show has proportionally bigger rooms, else
    /// its theatres could not hold the agendas of its visitors even with the capacity multiplier.
    /// </summary>
    private List<Theatre> Theatres(int count, int visitors, Random rng)
    {
        var scale = Math.Max(1.0, visitors / 5000.0);
        var byWeight = streams.Streams.OrderByDescending(s => s.Weight).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var others = rng.PickDistinct(byWeight.Skip(1).ToList(), byWeight.Count - 1);
        var theatres = new List<Theatre>(count);
        for (var n = 1; n <= count; n++)
        {
            var home = n == 1 ? byWeight[0].Name : others.Count == 0 ? byWeight[0].Name : others[(n - 2) % others.Count].Name;
            var name = n == 1 ? profile.MainTheatreName : $"Theatre {n.ToString(CultureInfo.InvariantCulture)}";
            var capacity = (int)Math.Round((n == 1 ? rng.Between(25, 30) * 10 : rng.Between(4, 25) * 10) * scale / 10) * 10;
            theatres.Add(new Theatre(n, name, home, capacity));
        }
        return theatres;
    }

    /// <summary>
    /// Every theatre's day from 09:00 to 18:00: sessions of 30-60 minutes with breaks, half the theatres stopping for lunch.
    /// Dense days (shorter breaks, no 60-minute-heavy mix) when even twelve theatres would not reach the target; then trimmed to it.
    /// </summary>
    private static List<Slot> Slots(ShowPlan show, List<Theatre> theatres, int target, bool dense, Random rng)
    {
        var slots = new List<Slot>();
        for (var d = 0; d < show.Days.Count; d++)
            foreach (var theatre in theatres)
            {
                var time = DayStart.AddMinutes(rng.Pick(StartOffsets));
                var lunch = !dense && rng.Chance(0.5);
                while (true)
                {
                    if (lunch && time > LunchStart.AddMinutes(-30) && time < LunchEnd) time = LunchEnd;
                    var duration = rng.Pick(dense ? DenseDurations : RelaxedDurations);
                    var end = time.AddMinutes(duration);
                    if (end > DayEnd || end < time) break;
                    slots.Add(new Slot(d + 1, show.Days[d], time, end, theatre));
                    time = end.AddMinutes(rng.Pick(dense ? DenseBreaks : RelaxedBreaks));
                }
            }
        if (slots.Count > target)
        {
            var keep = rng.PickDistinct(Enumerable.Range(0, slots.Count).ToList(), target);
            keep.Sort();
            slots = keep.Select(i => slots[i]).ToList();
        }
        return slots.OrderBy(s => s.Date).ThenBy(s => s.Start).ThenBy(s => s.Theatre.Number).ToList();
    }

    /// <summary>Home stream (55 %) or a stream by popularity, plus 0-2 related streams.</summary>
    private List<string> StreamsFor(Theatre theatre, Random rng)
    {
        var primary = rng.Chance(HomeStreamShare) ? streams.Get(theatre.HomeStream) : rng.PickWeighted(streams.Streams, s => s.Weight);
        var count = Math.Min(streams.Streams.Count, rng.PickWeighted([1, 2, 3], c => c switch { 1 => 45.0, 2 => 40.0, _ => 15.0 }));
        var result = new List<string> { primary.Name };
        var related = primary.Related.Where(streams.Contains).ToList();
        foreach (var name in rng.PickDistinct(related, count - 1)) result.Add(name);
        while (result.Count < count)
        {
            var extra = rng.PickWeighted(streams.Streams, s => s.Weight).Name;
            if (!result.Contains(extra)) result.Add(extra);
        }
        return result;
    }

    /// <summary>An earlier regular session to repeat; null when there is none yet (then the slot becomes a regular session).</summary>
    private static GeneratedSession? RepeatOf(List<GeneratedSession> sessions, Slot slot, Random rng)
    {
        var earlier = sessions
            .Where(s => s.Kind == SessionKind.Regular && (s.Date < slot.Date || s.Date == slot.Date && s.Start < slot.Start))
            .ToList();
        return earlier.Count == 0 ? null : rng.Pick(earlier);
    }

    /// <summary>Sponsored sessions name a sponsor abbreviation from the config or a company; unsponsored ones are blank or "No Data" style.</summary>
    private (bool Sponsored, string SponsoredBy) Sponsorship(Random rng)
    {
        if (rng.Chance(SponsoredShare))
            return (true, _sponsorAbbreviations.Count > 0 && rng.Chance(0.5) ? rng.Pick(_sponsorAbbreviations) : rng.Pick(profile.SponsorCompanies));
        return (false, _notSponsoredMarkers.Count > 0 && rng.Chance(0.3) ? rng.Pick(_notSponsoredMarkers) : "");
    }

    private static bool IsNotSponsored(string expansion) => expansion.Contains("not sponsored", StringComparison.OrdinalIgnoreCase);

    /// <summary>"session tba" -> "Session TBA", "SESSION TBA", "Session tba"...</summary>
    internal static string VaryCase(string text, Random rng) => rng.Between(0, 3) switch
    {
        0 => text.ToUpperInvariant(),
        1 => string.Join(' ', text.Split(' ').Select(w => w.Length <= 3 ? w.ToUpperInvariant() : char.ToUpperInvariant(w[0]) + w[1..])),
        2 => char.ToUpperInvariant(text[0]) + text[1..],
        _ => string.Join(' ', text.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])),
    };

    /// <summary>Lognormal popularity; the main theatre draws more, and one session in twenty is a headline.</summary>
    private static double Popularity(Theatre theatre, Random rng)
    {
        var popularity = Math.Exp(0.8 * rng.Gaussian());
        if (theatre.Number == 1) popularity *= 1.5;
        if (rng.Chance(0.05)) popularity *= 4;
        return popularity;
    }

    /// <summary>SA-D1-0930-T3: stream code, day, start time, theatre number.</summary>
    private string ShortName(string stream, Slot slot) =>
        string.Create(CultureInfo.InvariantCulture, $"{streams.Get(stream).Code}-D{slot.Day}-{slot.Start:HHmm}-T{slot.Theatre.Number}");
}
