using System.Text.RegularExpressions;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>The structure recommendation quality will be measured against: returning visitors, personas, attendance.</summary>
[Collection(GeneratedInputSetsCollection.Name)]
public sealed class PlantedStructureTests(GeneratedInputSets sets)
{
    /// <summary>Visitors per show group as the step-1 importer sees them: identity -> first valid registration.</summary>
    private static Dictionary<string, Dictionary<string, Dictionary<string, string>>> VisitorsByGroup(GeneratedInputSet set)
    {
        var ev = set.Config.Event;
        var valid = set.Config.Registration.ValidBadgeTypes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var groups = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>
        {
            ["this_year"] = [], ["past_main"] = [], ["past_secondary"] = [],
        };
        var badges = groups.Keys.ToDictionary(k => k, _ => new HashSet<string>());
        foreach (var row in set.Registrations())
        {
            if (row["Email"].Length == 0 || row["Forename"].Length == 0 || row["Surname"].Length == 0) continue;
            var showRef = InputFiles.ShowRef(row);
            var group = ev.ShowsThisYear.Contains(showRef) ? "this_year"
                : ev.ShowsLastYearMain.Contains(showRef) ? "past_main"
                : ev.ShowsLastYearSecondary.Contains(showRef) ? "past_secondary" : null;
            if (group is null || !valid.Contains(row["BadgeType"]) || !badges[group].Add(row["BadgeId"])) continue;
            groups[group].TryAdd(InputFiles.Identity(row), row);
        }
        return groups;
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void ReturningVisitors_AreThirtyToFortyPercentOfThisYear(string eventName)
    {
        var groups = VisitorsByGroup(sets.Get(eventName));
        var thisYear = groups["this_year"];
        var returning = thisYear.Keys.Count(k => groups["past_main"].ContainsKey(k) || groups["past_secondary"].ContainsKey(k));
        var share = (double)returning / thisYear.Count;
        Assert.InRange(share, 0.30, 0.40);
        Assert.InRange(thisYear.Count, GeneratedInputSets.Visitors * 0.97, GeneratedInputSets.Visitors * 1.0);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void ReturningVisitors_KeepNameAndEmail_ButGetNewBadgeIds(string eventName)
    {
        var groups = VisitorsByGroup(sets.Get(eventName));
        int fromMain = 0, fromSecondary = 0, fromBoth = 0, emailCaseChanged = 0;
        foreach (var (identity, now) in groups["this_year"])
        {
            var main = groups["past_main"].GetValueOrDefault(identity);
            var secondary = groups["past_secondary"].GetValueOrDefault(identity);
            foreach (var past in new[] { main, secondary })
            {
                if (past is null) continue;
                Assert.NotEqual(now["BadgeId"], past["BadgeId"]);
                Assert.Equal(now["Email"].ToLowerInvariant(), past["Email"].ToLowerInvariant());
                if (now["Email"] != past["Email"]) emailCaseChanged++;
            }
            if (main is not null && secondary is not null) fromBoth++;
            else if (main is not null) fromMain++;
            else if (secondary is not null) fromSecondary++;
        }
        Assert.True(fromMain > 0 && fromSecondary > 0 && fromBoth > 0, $"main only {fromMain}, secondary only {fromSecondary}, both {fromBoth}");
        Assert.True(emailCaseChanged > 0, "expected returning visitors whose email case differs between years");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void ReturningVisitors_AnswerWithTheSamePersonaAcrossYears(string eventName)
    {
        var set = sets.Get(eventName);
        var groups = VisitorsByGroup(set);
        var roles = set.Demographics().Where(a => a.Question == "Job Role").GroupBy(a => a.BadgeId).ToDictionary(g => g.Key, g => g.First().Answer);
        var compared = 0;
        foreach (var (identity, now) in groups["this_year"])
        {
            var past = groups["past_main"].GetValueOrDefault(identity) ?? groups["past_secondary"].GetValueOrDefault(identity);
            if (past is null || !roles.TryGetValue(now["BadgeId"], out var roleNow) || !roles.TryGetValue(past["BadgeId"], out var rolePast))
                continue;
            Assert.Equal(rolePast, roleNow);
            compared++;
        }
        Assert.True(compared > 100, $"only {compared} returning visitors compared");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Scans_FollowTheVisitorsPersonaPreferences_WellAboveChance(string eventName)
    {
        var (share, expected) = MatchingScans(sets.Get(eventName),
            (person, session) => session.Streams.Intersect(person.Persona.PreferredStreams).Any());
        Assert.True(share >= 0.75 && share - expected >= 0.2, $"{share:P1} of scans in preferred streams, {expected:P1} by chance");
    }

    /// <summary>
    /// Over both past shows' scans of registered visitors into attendable sessions: the share whose session matches its
    /// visitor, and the share expected by chance (for each scan, the share of the show's sessions that match its visitor).
    /// </summary>
    private static (double Share, double Chance) MatchingScans(GeneratedInputSet set, Func<Person, GeneratedSession, bool> matches)
    {
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var row in set.Data.Registrations.MainFile.Concat(set.Data.Registrations.SecondaryFile)) people.TryAdd(row.BadgeId, row.Person);
        double hits = 0, chance = 0, scans = 0;
        foreach (var role in new[] { ShowRole.PastMain, ShowRole.PastSecondary })
        {
            var sessions = set.Data.Programme(role).Sessions.Where(s => s.Attendable).ToList();
            var byShortName = sessions.ToDictionary(s => s.ShortName);
            var file = role == ShowRole.PastMain ? set.Config.Inputs.ScansPastMain : set.Config.Inputs.ScansPastSecondary;
            // Each visitor's chance is worked out once, for their first scan.
            var chanceByPerson = new Dictionary<Person, double>(ReferenceEqualityComparer.Instance);
            foreach (var scan in set.Csv(file).Rows)
            {
                if (!people.TryGetValue(scan["Badge Id"], out var person) || !byShortName.TryGetValue(scan["Short Name"], out var session)) continue;
                if (!chanceByPerson.TryGetValue(person, out var baseline))
                    chanceByPerson[person] = baseline = sessions.Count(s => matches(person, s)) / (double)sessions.Count;
                scans++;
                chance += baseline;
                if (matches(person, session)) hits++;
            }
        }
        return (hits / scans, chance / scans);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void PastVisitors_AttendTwoToEightSessions_AndSomeSessionsArePopular(string eventName)
    {
        var set = sets.Get(eventName);
        foreach (var role in new[] { ShowRole.PastMain, ShowRole.PastSecondary })
        {
            var known = set.Data.Programme(role).Sessions.Select(s => s.ShortName).ToHashSet();
            var registered = set.Data.Registrations.VisitorsOf(role).Select(r => r.BadgeId).ToHashSet();
            var file = role == ShowRole.PastMain ? set.Config.Inputs.ScansPastMain : set.Config.Inputs.ScansPastSecondary;
            var scans = set.Csv(file).Rows.Where(s => known.Contains(s["Short Name"]) && registered.Contains(s["Badge Id"])).ToList();

            var perVisitor = scans.GroupBy(s => s["Badge Id"]).Select(g => g.Select(s => s["Short Name"]).Distinct().Count()).ToList();
            Assert.All(perVisitor, n => Assert.InRange(n, 1, 8));
            Assert.InRange(perVisitor.Average(), 3.5, 6.5);
            Assert.InRange(perVisitor.Count / (double)registered.Count, 0.7, 0.9);

            var perSession = scans.GroupBy(s => s["Short Name"]).Select(g => g.Count()).Order().ToList();
            var median = perSession[perSession.Count / 2];
            Assert.True(perSession[^1] >= 3 * median, $"most scanned session {perSession[^1]}, median {median}");
        }
    }

    [Fact]
    public void VetStreams_IncludeEveryStreamTheBusinessRulesName_AndClinicalOnes()
    {
        var streams = sets.Get("vet_lva").Data.Streams.Names;
        Assert.Subset(streams.ToHashSet(),
            new[] { "Small Animal", "Equine", "Farm", "Exotics", "Feline", "Nursing", "Wellbeing", "Welfare" }.ToHashSet());
        Assert.Subset(streams.ToHashSet(), new[]
        {
            "Surgery", "Dentistry", "Emergency & Critical Care", "Practice Management", "Cardiology", "Dermatology", "Anaesthesia", "Imaging",
        }.ToHashSet());
        Assert.Subset(sets.Get("ecomm").Data.Streams.Names.ToHashSet(), new[]
        {
            "Marketplaces", "Payments", "Logistics", "Customer Experience", "Marketing", "AI & Data", "Retail Tech", "Cross-border",
        }.ToHashSet());
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void SessionTitles_NameATopicOfTheirStreams_InTheShowsWording_AndThisYearsAreNew(string eventName)
    {
        var set = sets.Get(eventName);
        foreach (var programme in set.Data.Programmes)
            foreach (var session in programme.Sessions.Where(s => s.Kind == SessionKind.Regular))
            {
                var topic = set.Data.Topics.Topics[session.Topics[0]];
                Assert.Contains(topic.Streams, session.Streams.Contains);
                Assert.Contains(topic.WordingFor(programme.Show.Role), session.Title, StringComparison.OrdinalIgnoreCase);
            }
        var past = set.Data.Programmes.Where(p => p.Show.Role != ShowRole.ThisYear).SelectMany(p => p.Sessions)
            .Where(s => s.Kind == SessionKind.Regular).Select(s => TextKeys.KeyText(s.Title)).ToHashSet();
        var thisYear = set.Data.Programme(ShowRole.ThisYear).Sessions
            .Where(s => s.Kind == SessionKind.Regular)
            .Select(s => TextKeys.KeyText(s.Title));
        Assert.DoesNotContain(thisYear, past.Contains);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void ThisYearsSessions_TreatLastYearsTopics_InOtherWords(string eventName)
    {
        var set = sets.Get(eventName);
        var pastTopics = set.Data.Programme(ShowRole.PastMain).Sessions.SelectMany(s => s.Topics).ToHashSet();
        var thisYear = set.Data.Programme(ShowRole.ThisYear).Sessions.Where(s => s.Kind == SessionKind.Regular).ToList();
        var shared = thisYear.Where(s => pastTopics.Contains(s.Topics[0])).ToList();
        Assert.True(shared.Count >= thisYear.Count * 0.9, $"{shared.Count} of {thisYear.Count} sessions on a topic of last year");
        var reworded = shared.Count(s =>
        {
            var topic = set.Data.Topics.Topics[s.Topics[0]];
            return !Regex.IsMatch(s.Title + " " + s.Synopsis, $@"\b{Regex.Escape(topic.WordingFor(ShowRole.PastMain))}\b", RegexOptions.IgnoreCase);
        });
        Assert.True(reworded >= shared.Count * 0.95, $"only {reworded} of {shared.Count} sessions avoid last year's name of their topic");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void Synopses_HaveNoDominantOpening_AndAVariedSentenceStock(string eventName)
    {
        var synopses = sets.Get(eventName).Data.Programmes.SelectMany(p => p.Sessions)
            .Where(s => s.Kind == SessionKind.Regular).Select(s => s.Synopsis).ToList();
        var openings = synopses.GroupBy(s => string.Join(' ', s.Split(' ').Take(4))).Max(g => g.Count());
        Assert.True(openings <= synopses.Count * 0.1, $"{openings} of {synopses.Count} synopses share their first four words");
        var sentences = synopses.SelectMany(s => Regex.Split(s, @"(?<=[.?!])\s+")).Distinct(StringComparer.Ordinal).Count();
        Assert.True(sentences >= synopses.Count * 1.75, $"{synopses.Count} synopses use only {sentences} distinct sentences");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void Scans_FollowTheVisitorsTopics_WellAboveChance(string eventName)
    {
        var (share, expected) = MatchingScans(sets.Get(eventName), (person, session) => session.Topics.Intersect(person.Topics).Any());
        Assert.True(share >= 0.5 && share >= 3 * expected, $"{share:P1} of scans on one of the visitor's topics, {expected:P1} by chance");
    }

    [Fact]
    public void VisitorsOfBothPastShows_FavourAtTheSecondaryShowTheTopicsTheyAttendedAtTheMainShow()
    {
        var set = sets.Get("vet_lva");
        var main = set.Data.PastMainScans.TopicsAttended;
        double hits = 0, chance = 0, scans = 0;
        var sessions = set.Data.Programme(ShowRole.PastSecondary).Sessions.Where(s => s.Attendable).ToList();
        var byShortName = sessions.ToDictionary(s => s.ShortName);
        var people = set.Data.Registrations.VisitorsOf(ShowRole.PastSecondary).ToDictionary(r => r.BadgeId, r => r.Person);
        foreach (var scan in set.Data.PastSecondaryScans.Scans)
        {
            if (!people.TryGetValue(scan.BadgeId, out var person) || !main.TryGetValue(person.Id, out var attendedBefore)
                || !byShortName.TryGetValue(scan.ShortName, out var session)) continue;
            // Only topics they attended that are not among their interests: those are favoured for having been attended.
            var earlier = attendedBefore.Except(person.Topics).ToHashSet();
            scans++;
            chance += sessions.Count(s => s.Topics.Any(earlier.Contains)) / (double)sessions.Count;
            if (session.Topics.Any(earlier.Contains)) hits++;
        }
        Assert.True(scans > 100 && hits >= 2 * chance, $"{hits} of {scans} scans on a topic attended before, {chance:F0} by chance");
    }

    [Fact]
    public void Personas_LeanTheWayTheVetBusinessRulesExpect()
    {
        var model = sets.Get("vet_lva").Data.Personas;
        Assert.Equal("Nursing", model.For("Vet Nurse", "Small Animal", "Independent Practice").PreferredStreams[0]);
        Assert.DoesNotContain("Nursing", model.For("Vet/Vet Surgeon", "Small Animal", "Independent Practice").PreferredStreams);
        Assert.Contains("Equine", model.For("Vet/Vet Surgeon", "Equine", "Independent Practice").PreferredStreams);
        Assert.Contains("Farm", model.For("Vet/Vet Surgeon", "Farm", "Corporate Group Practice").PreferredStreams);
    }
}
