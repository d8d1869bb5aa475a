using System.Globalization;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator;

/// <summary>
/// Who attended which past session. Most visitors (80 %) attend 2-8 sessions. Each choice is, with probability 0.75,
/// a session on one of the visitor's topics (topic by interest, raised for topics they attended at an earlier show;
/// session by popularity), with 0.2 a session of one of their persona's preferred streams (stream by preference,
/// session by popularity), else any popular session. No visitor attends two overlapping sessions. Quirks: repeated
/// scans, scans of short names missing from the reference (~1 %), scans of unregistered badges (~0.5 %), and
/// reference seminar names typed differently.
/// </summary>
internal sealed class ScanBuilder(PersonaModel personas, BadgeIdFactory badges)
{
    public const double AttendingShare = 0.8, TopicShare = 0.75, PreferredShare = 0.2, RepeatScanShare = 0.02;
    public const double UnknownShortNameShare = 0.01, UnregisteredBadgeShare = 0.005, VariedSeminarNameShare = 0.15;
    /// <summary>Interest weight of a topic the visitor follows, and what attending it at an earlier show adds.</summary>
    public const double InterestWeight = 1.0, AttendedTopicBoost = 1.5;
    public const int MinSessionsAttended = 2, MaxSessionsAttended = 8;

    /// <param name="earlierTopics">Person id -> topics they attended at an earlier show, which they favour here.</param>
    public ScanSet Build(SessionProgramme programme, IEnumerable<Registration> visitors, Random rng,
        IReadOnlyDictionary<int, IReadOnlyList<int>>? earlierTopics = null)
    {
        var attendable = programme.Sessions.Where(s => s.Attendable).ToList();
        var popular = new WeightedSampler<GeneratedSession>(attendable, s => s.Popularity);
        var byStream = personas.Streams.ToDictionary(
            stream => stream,
            stream => new WeightedSampler<GeneratedSession>(attendable.Where(s => s.Streams.Contains(stream)), s => Math.Sqrt(s.Popularity)),
            StringComparer.Ordinal);
        var byTopic = attendable.SelectMany(s => s.Topics).Distinct().ToDictionary(
            topic => topic,
            topic => new WeightedSampler<GeneratedSession>(attendable.Where(s => s.Topics.Contains(topic)), s => Math.Sqrt(s.Popularity)));

        var scans = new List<SeminarScan>();
        var topicsAttended = new Dictionary<int, IReadOnlyList<int>>();
        var attended = new List<GeneratedSession>(MaxSessionsAttended);
        var interests = new List<(int Topic, double Weight)>();
        foreach (var visitor in visitors)
        {
            if (!rng.Chance(AttendingShare)) continue;
            var person = visitor.Person;
            var persona = person.Persona;
            Interests(person, earlierTopics, interests);
            var wanted = rng.Between(MinSessionsAttended, MaxSessionsAttended);
            attended.Clear();
            for (var attempt = 0; attended.Count < wanted && attempt < wanted * 6; attempt++)
            {
                var draw = rng.NextDouble();
                WeightedSampler<GeneratedSession>? sampler = null;
                if (draw < TopicShare && interests.Count > 0)
                    byTopic.TryGetValue(rng.PickWeighted(interests, i => i.Weight).Topic, out sampler);
                else if (draw < TopicShare + PreferredShare)
                    sampler = byStream[rng.PickWeighted(persona.PreferredStreams, s => personas.WeightOf(persona, s))];
                var session = sampler is { Count: > 0 } ? sampler.Next(rng) : popular.Next(rng);
                if (attended.Any(a => ReferenceEquals(a, session) || a.Overlaps(session))) continue;
                attended.Add(session);
            }
            foreach (var session in attended)
            {
                var scan = new SeminarScan(visitor.BadgeId, session.ShortName, ScanTime(session, rng), FileOf(programme.Show, session));
                scans.Add(scan);
                if (rng.Chance(RepeatScanShare)) scans.Add(scan with { ScanDate = scan.ScanDate.AddSeconds(rng.Between(20, 240)) });
            }
            if (attended.Count > 0) topicsAttended[person.Id] = attended.SelectMany(s => s.Topics).Distinct().Order().ToList();
        }

        var reference = Reference(programme, rng);
        AddUnknownShortNames(scans, programme, reference, rng);
        AddUnregisteredBadges(scans, programme, popular, rng);
        scans.Sort((a, b) =>
        {
            var byFile = string.CompareOrdinal(a.File, b.File);
            if (byFile != 0) return byFile;
            var byDate = a.ScanDate.CompareTo(b.ScanDate);
            return byDate != 0 ? byDate : string.CompareOrdinal(a.BadgeId, b.BadgeId);
        });
        return new ScanSet(scans, reference, topicsAttended);
    }

    /// <summary>The person's topics at weight 1, plus a boost for each topic they attended at an earlier show (in a fixed order).</summary>
    private static void Interests(Person person, IReadOnlyDictionary<int, IReadOnlyList<int>>? earlierTopics, List<(int Topic, double Weight)> into)
    {
        into.Clear();
        foreach (var topic in person.Topics) into.Add((topic, InterestWeight));
        if (earlierTopics is null || !earlierTopics.TryGetValue(person.Id, out var earlier)) return;
        foreach (var topic in earlier)
        {
            var i = into.FindIndex(t => t.Topic == topic);
            if (i >= 0) into[i] = (topic, into[i].Weight + AttendedTopicBoost);
            else into.Add((topic, AttendedTopicBoost));
        }
    }

    /// <summary>Every past session with a title, by short name; some seminar names in another case or with other punctuation.</summary>
    private static List<ScanReferenceRow> Reference(SessionProgramme programme, Random rng) =>
        programme.Sessions.Where(s => s.Title.Length > 0)
            .OrderBy(s => s.ShortName, StringComparer.Ordinal)
            .Select(s => new ScanReferenceRow(s.ShortName,
                s.Attendable && rng.Chance(VariedSeminarNameShare) ? VarySeminarName(s.Title, rng) : s.Title))
            .ToList();

    /// <summary>Same key_text, different text: case, trailing full stop, dropped colons and commas, doubled spaces.</summary>
    internal static string VarySeminarName(string title, Random rng)
    {
        var varied = rng.Between(0, 4) switch
        {
            0 => title.ToLowerInvariant(),
            1 => title.ToUpperInvariant(),
            2 => title.TrimEnd('.', '?', '!') + ".",
            3 => title.Replace(":", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal)
                .Replace("'", "", StringComparison.Ordinal),
            _ => title.Replace(" ", "  ", StringComparison.Ordinal),
        };
        if (varied == title) varied = title + ".";
        return TextKeys.KeyText(varied) == TextKeys.KeyText(title) ? varied : title;
    }

    /// <summary>Scans of sessions the reference does not list (a short name at a time no session starts).</summary>
    private void AddUnknownShortNames(List<SeminarScan> scans, SessionProgramme programme, IReadOnlyList<ScanReferenceRow> reference, Random rng)
    {
        var known = new HashSet<string>(reference.Select(r => r.ShortName), StringComparer.OrdinalIgnoreCase);
        var count = Math.Max(1, (int)Math.Round(scans.Count * UnknownShortNameShare));
        var badgesSeen = scans.Count > 0 ? scans.Select(s => s.BadgeId).Distinct(StringComparer.Ordinal).ToList() : [];
        var sessions = programme.Sessions;
        for (var i = 0; i < count; i++)
        {
            var near = rng.Pick(sessions);
            var start = near.Start.AddMinutes(rng.Pick([5, 10, 20, 40, 50]));
            var shortName = near.ShortName[..near.ShortName.IndexOf("-D", StringComparison.Ordinal)]
                            + string.Create(CultureInfo.InvariantCulture, $"-D{near.Day}-{start:HHmm}-T{near.Theatre.Number}");
            if (known.Contains(shortName)) continue;
            var badge = badgesSeen.Count > 0 ? rng.Pick(badgesSeen) : badges.Next();
            scans.Add(new SeminarScan(badge, shortName, near.Date.ToDateTime(start).AddSeconds(rng.Between(0, 600)), FileOf(programme.Show, near)));
        }
    }

    /// <summary>Scans of badge ids no registration has (staff, lost badges, typos).</summary>
    private void AddUnregisteredBadges(List<SeminarScan> scans, SessionProgramme programme, WeightedSampler<GeneratedSession> popular, Random rng)
    {
        if (popular.Count == 0) return;
        var count = Math.Max(1, (int)Math.Round(scans.Count * UnregisteredBadgeShare));
        for (var i = 0; i < count; i++)
        {
            var session = popular.Next(rng);
            scans.Add(new SeminarScan(badges.Next(), session.ShortName, ScanTime(session, rng), FileOf(programme.Show, session)));
        }
    }

    /// <summary>During the first half of the session.</summary>
    private static DateTime ScanTime(GeneratedSession session, Random rng)
    {
        var minutes = (session.End - session.Start).TotalMinutes;
        return session.Date.ToDateTime(session.Start).AddSeconds(rng.Next((int)(minutes * 30)));
    }

    /// <summary>LVS24 Theatre 3 Day 1.xlsx: the scanning device's export the row came from.</summary>
    internal static string FileOf(ShowPlan show, GeneratedSession session) =>
        string.Create(CultureInfo.InvariantCulture, $"{show.ShowRef} {session.Theatre.Name} Day {session.Day}.xlsx");
}
