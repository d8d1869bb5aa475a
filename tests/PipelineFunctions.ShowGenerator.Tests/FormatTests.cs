using System.Globalization;
using System.Text.RegularExpressions;
using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator.Tests;

[Collection(GeneratedInputSetsCollection.Name)]
public sealed partial class FormatTests(GeneratedInputSets sets)
{
    private static readonly string[] SessionHeader =
    [
        "session_id", "date", "start_time", "end_time", "theatre__name", "title", "stream", "synopsis_stripped", "sponsored_session",
        "sponsored_by",
    ];

    private static string FirstLine(GeneratedInputSet set, string fileName) => File.ReadLines(set.PathOf(fileName)).First();

    [GeneratedRegex("^[A-Z0-9]{8,10}$")]
    private static partial Regex BadgeIdPattern();

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void EveryConfiguredInputFileIsWritten(string eventName)
    {
        var set = sets.Get(eventName);
        var i = set.Config.Inputs;
        var expected = new[]
        {
            i.MainRegistration, i.SecondaryRegistration, i.MainDemographics, i.SecondaryDemographics, i.SessionsThisYear, i.SessionsPastMain,
            i.SessionsPastSecondary, i.ScansPastMain, i.ScanReferencePastMain, i.ScansPastSecondary, i.ScanReferencePastSecondary,
            i.JobRoleToStream, i.SpecialisationToStream, i.TheatreCapacity,
        }.Concat(i.Practices is null ? [] : [i.Practices]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, set.Summary.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(expected, Directory.GetFiles(set.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(set.Summary.Files, f => Assert.True(f.Rows > 0, $"{f.Name} has no rows"));
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void CsvHeadersAreExactlyTheReferenceOnes(string eventName)
    {
        var set = sets.Get(eventName);
        var i = set.Config.Inputs;
        foreach (var sessions in new[] { i.SessionsThisYear, i.SessionsPastMain, i.SessionsPastSecondary })
            Assert.Equal(string.Join(',', SessionHeader), FirstLine(set, sessions));
        foreach (var scans in new[] { i.ScansPastMain, i.ScansPastSecondary })
            Assert.Equal("Badge Id,Short Name,Scan Date,File", FirstLine(set, scans));
        foreach (var reference in new[] { i.ScanReferencePastMain, i.ScanReferencePastSecondary })
            Assert.Equal("Short Name,Seminar Name", FirstLine(set, reference));
        Assert.Equal("theatre__name,number_visitors", FirstLine(set, i.TheatreCapacity));
        if (i.Practices is not null) Assert.Equal("Company Name,Main Type of Veterinary Practice", FirstLine(set, i.Practices));

        var streams = set.Data.Streams.Names;
        var (jobHeader, jobRows) = set.Csv(i.JobRoleToStream);
        Assert.Equal(streams.Prepend("Job Role"), jobHeader);
        var (specHeader, specRows) = set.Csv(i.SpecialisationToStream);
        Assert.Equal(streams.Prepend("spezialization"), specHeader);
        Assert.All(jobRows.Concat(specRows).SelectMany(r => streams.Select(s => r[s])), cell => Assert.True(cell is "YES" or "", $"cell '{cell}'"));
        Assert.All(jobRows, r => Assert.Contains(r.Values, v => v == "YES"));
    }

    [Theory]
    [InlineData("vet_lva", true)]
    [InlineData("vet_bva", false)]
    [InlineData("ecomm", false)]
    public void RegistrationAndDemographicsJson_UseTheConfiguredFormatsKeys(string eventName, bool oldFormat)
    {
        var set = sets.Get(eventName);
        Assert.Equal(oldFormat, set.Config.Registration.OldFormat);
        var registrationKeys = oldFormat ? InputFiles.OldRegistrationKeys : InputFiles.SnakeRegistrationKeys;
        var demographicKeys = oldFormat
            ? new[] { "BadgeId", "showref", "QuestionText", "AnswerText" }
            : ["badge_id", "show_ref", "question_text", "answer_text"];

        foreach (var file in new[] { set.Config.Inputs.MainRegistration, set.Config.Inputs.SecondaryRegistration })
            Assert.All(InputFiles.ReadJsonKeys(set.PathOf(file)), keys => Assert.Equal(registrationKeys, keys));
        foreach (var file in new[] { set.Config.Inputs.MainDemographics, set.Config.Inputs.SecondaryDemographics })
            Assert.All(InputFiles.ReadJsonKeys(set.PathOf(file)), keys => Assert.Equal(demographicKeys, keys));

        // Indented by two spaces, as the exports are.
        var text = File.ReadAllText(set.PathOf(set.Config.Inputs.MainRegistration));
        Assert.StartsWith("[\n  {\n    \"" + registrationKeys[0] + "\": ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Registrations_HaveBadgeIdsDatesAndShowRefsAsSpecified(string eventName)
    {
        var set = sets.Get(eventName);
        var ev = set.Config.Event;
        var firstDays = set.Data.Shows.SelectMany(s => s.ShowRefs.Select(r => (r, s.FirstDay))).ToDictionary(p => p.r, p => p.FirstDay);
        foreach (var row in set.Registrations())
        {
            Assert.Matches(BadgeIdPattern(), row["BadgeId"]);
            var registered = DateTime.ParseExact(row["RegistrationDate"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var showRef = InputFiles.ShowRef(row);
            if (!firstDays.TryGetValue(showRef, out var firstDay)) continue;
            var daysBefore = firstDay.DayNumber - DateOnly.FromDateTime(registered).DayNumber;
            Assert.InRange(daysBefore, 1, 190);
            Assert.StartsWith(row["ShowRef"].Length > 0 ? row["ShowRef"] : showRef, row["Source"], StringComparison.Ordinal);
        }
        var refs = set.Registrations().Select(r => r["ShowRef"]).Where(r => r.Length > 0).ToHashSet();
        Assert.Superset(ev.ShowsThisYear.Concat(ev.ShowsLastYearMain).Concat(ev.ShowsLastYearSecondary).ToHashSet(), refs);
    }

    [Fact]
    public void PastShowDates_AreAYearBeforeAndTheSecondaryShowsOwnDate()
    {
        var lva = sets.Get("vet_lva").Data;
        Assert.Equal(new DateOnly(2025, 11, 20), lva.Show(ShowRole.ThisYear).FirstDay);
        Assert.Equal(new DateOnly(2024, 11, 20), lva.Show(ShowRole.PastMain).FirstDay);
        Assert.Equal(new DateOnly(2025, 5, 20), lva.Show(ShowRole.PastSecondary).FirstDay);
        var ecomm = sets.Get("ecomm").Data;
        Assert.Equal(new DateOnly(2024, 3, 24), ecomm.Show(ShowRole.PastSecondary).FirstDay); // TFM24
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Sessions_AreRealisticProgrammes(string eventName)
    {
        var set = sets.Get(eventName);
        var sponsorKeys = set.Config.Sessions.SponsorAbbreviations.Keys.ToHashSet(StringComparer.Ordinal);
        var companies = set.Data.Profile.SponsorCompanies.ToHashSet(StringComparer.Ordinal);
        foreach (var show in set.Data.Shows)
        {
            var file = show.Role switch
            {
                ShowRole.ThisYear => set.Config.Inputs.SessionsThisYear,
                ShowRole.PastMain => set.Config.Inputs.SessionsPastMain,
                _ => set.Config.Inputs.SessionsPastSecondary,
            };
            var (_, rows) = set.Csv(file);
            Assert.InRange(rows.Count, 150, 260);
            Assert.Equal(rows.Count, rows.Select(r => r["session_id"]).Distinct().Count());
            Assert.InRange(rows.Select(r => r["theatre__name"]).Distinct().Count(), 8, 12);
            Assert.Equal(show.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Order(),
                rows.Select(r => r["date"]).Distinct().Order());
            foreach (var row in rows)
            {
                var start = TimeOnly.ParseExact(row["start_time"], "HH:mm", CultureInfo.InvariantCulture);
                var end = TimeOnly.ParseExact(row["end_time"], "HH:mm", CultureInfo.InvariantCulture);
                Assert.InRange((end - start).TotalMinutes, 30, 60);
                var streams = row["stream"].Split("; ");
                Assert.InRange(streams.Length, 1, 3);
                Assert.All(streams, s => Assert.Contains(s, set.Data.Streams.Names));
                Assert.Contains(row["sponsored_session"], new[] { "Yes", "No" });
                var sponsor = row["sponsored_by"];
                Assert.True(sponsor.Length == 0 || sponsorKeys.Contains(sponsor) || companies.Contains(sponsor), $"sponsored_by '{sponsor}'");
            }
            // No two sessions share a theatre at the same time.
            foreach (var theatre in rows.GroupBy(r => (r["date"], r["theatre__name"])))
            {
                var ordered = theatre.OrderBy(r => r["start_time"], StringComparer.Ordinal).ToList();
                for (var k = 1; k < ordered.Count; k++)
                    Assert.True(string.CompareOrdinal(ordered[k - 1]["end_time"], ordered[k]["start_time"]) <= 0, $"overlap in {theatre.Key}");
            }
        }
        Assert.Contains(set.Csv(set.Config.Inputs.SessionsThisYear).Rows, r => r["sponsored_session"] == "Yes");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void Scans_HappenDuringTheirSession_AndNameTheirScannerFile(string eventName)
    {
        var set = sets.Get(eventName);
        foreach (var role in new[] { ShowRole.PastMain, ShowRole.PastSecondary })
        {
            var show = set.Data.Show(role);
            var sessions = set.Data.Programme(role).Sessions.ToDictionary(s => s.ShortName);
            var file = role == ShowRole.PastMain ? set.Config.Inputs.ScansPastMain : set.Config.Inputs.ScansPastSecondary;
            var (_, scans) = set.Csv(file);
            Assert.NotEmpty(scans);
            foreach (var scan in scans)
            {
                var at = DateTime.ParseExact(scan["Scan Date"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                Assert.Matches($"^{Regex.Escape(show.ShowRef)} .+ Day [1-3]\\.xlsx$", scan["File"]);
                if (!sessions.TryGetValue(scan["Short Name"], out var session)) continue;
                Assert.Equal(session.Date, DateOnly.FromDateTime(at));
                Assert.InRange(TimeOnly.FromDateTime(at), session.Start, session.End);
                Assert.Equal($"{show.ShowRef} {session.Theatre.Name} Day {session.Day}.xlsx", scan["File"]);
            }
        }
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void TheatreCapacity_CoversEveryTheatreUsedThisYear(string eventName)
    {
        var set = sets.Get(eventName);
        var (_, capacities) = set.Csv(set.Config.Inputs.TheatreCapacity);
        var theatres = set.Csv(set.Config.Inputs.SessionsThisYear).Rows.Select(r => r["theatre__name"]).ToHashSet();
        Assert.Equal(theatres.Order(), capacities.Select(r => r["theatre__name"]).Order());
        Assert.All(capacities, r => Assert.InRange(int.Parse(r["number_visitors"], CultureInfo.InvariantCulture), 40, 300));
    }

    [Theory]
    [InlineData("vet_lva", "What type does your practice specialise in?", "What areas do you specialise in?")]
    [InlineData("vet_bva", "What areas do you specialise in?", "What type does your practice specialise in?")]
    public void VetShows_AskTheirOwnPracticeQuestion_InTheirOwnWords(string eventName, string mainQuestion, string secondaryQuestion)
    {
        var set = sets.Get(eventName);
        var ev = set.Config.Event;
        var answers = set.Demographics();
        var mainRefs = ev.ShowsThisYear.Concat(ev.ShowsLastYearMain).ToHashSet();
        var main = answers.Where(a => mainRefs.Contains(a.ShowRef)).ToList();
        var secondary = answers.Where(a => ev.ShowsLastYearSecondary.Contains(a.ShowRef)).ToList();
        Assert.Contains(main, a => a.Question == mainQuestion);
        Assert.DoesNotContain(main, a => a.Question == secondaryQuestion);
        Assert.Contains(secondary, a => a.Question == secondaryQuestion);
        Assert.DoesNotContain(secondary, a => a.Question == mainQuestion);

        // BVA shows answer with BVA words ("Companion Animal", "Cattle"...), which the config maps onto the matrix rows.
        var bvaAnswers = answers.Where(a => a.Question == "What areas do you specialise in?").Select(a => a.Answer).ToHashSet();
        Assert.Contains("Companion Animal", bvaAnswers);
        Assert.DoesNotContain("Small Animal", bvaAnswers);
        var matrixRows = set.Csv(set.Config.Inputs.SpecialisationToStream).Rows.Select(r => r["spezialization"]).ToHashSet();
        var lvsAnswers = answers.Where(a => a.Question == "What type does your practice specialise in?").Select(a => a.Answer).ToHashSet();
        Assert.Subset(matrixRows, lvsAnswers);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Demographics_AnswerEveryKeptQuestion_PlusQuestionsThatAreNotKept(string eventName)
    {
        var set = sets.Get(eventName);
        var kept = set.Config.Registration.QuestionsToKeep.ToHashSet(StringComparer.Ordinal);
        var answers = set.Demographics();
        var asked = answers.Select(a => a.Question).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(asked, kept);
        var others = asked.Except(kept).ToList();
        Assert.True(others.Count >= 3, "expected questions the pipeline does not keep");
        Assert.All(others, q => Assert.DoesNotContain(TextKeys.QuestionColumn(q), kept.Select(TextKeys.QuestionColumn)));

        var perVisitor = answers.GroupBy(a => a.BadgeId)
            .Select(g => g.Select(a => a.Question).Where(q => !kept.Contains(q)).Distinct().Count())
            .ToList();
        Assert.All(perVisitor, n => Assert.InRange(n, 3, 5));
    }
}
