using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>Every quirk of the reference exports the importer has to cope with is planted, at about the documented rate.</summary>
[Collection(GeneratedInputSetsCollection.Name)]
public sealed class QuirkTests(GeneratedInputSets sets)
{
    private static readonly string[] NonVisitorBadgeTypes = ["Exhibitor", "Press", "Staff"];

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void Registrations_CarryTheExportsQuirks(string eventName)
    {
        var set = sets.Get(eventName);
        var rows = set.Registrations();
        var configured = set.Data.Shows.SelectMany(s => s.ShowRefs).ToHashSet();

        var repeated = rows.GroupBy(r => (InputFiles.ShowRef(r), r["BadgeId"])).Count(g => g.Count() > 1);
        Assert.InRange(repeated / (double)rows.Count, 0.004, 0.02);

        var missingIdentity = rows.Count(r => r["Email"].Length == 0 || r["Forename"].Length == 0);
        Assert.InRange(missingIdentity, 1, (int)(rows.Count * 0.015));

        var blankWithToken = rows.Where(r => r["ShowRef"].Length == 0 && configured.Contains(InputFiles.ShowRef(r))).ToList();
        Assert.InRange(blankWithToken.Count / (double)rows.Count, 0.003, 0.02);
        Assert.Contains(rows, r => r["ShowRef"].Length == 0 && InputFiles.ShowRef(r) == "UNKNOWN");
        Assert.Contains(rows, r => r["ShowRef"].Length > 0 && !configured.Contains(r["ShowRef"]));

        var valid = set.Config.Registration.ValidBadgeTypes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var others = rows.Where(r => !valid.Contains(r["BadgeType"])).ToList();
        Assert.InRange(others.Count / (double)rows.Count, 0.03, 0.07);
        Assert.All(others, r => Assert.Contains(r["BadgeType"], NonVisitorBadgeTypes));
        Assert.All(set.Config.Registration.ValidBadgeTypes, type => Assert.Contains(rows, r => r["BadgeType"] == type));

        var emails = rows.Select(r => r["Email"]).Where(e => e.Length > 0).ToList();
        Assert.Contains(emails, e => e != e.ToLowerInvariant() && e != e.ToUpperInvariant());
        Assert.Contains(emails, e => e.Split('@')[^1] != e.Split('@')[^1].ToLowerInvariant());
        Assert.True(emails.Count(e => e == e.ToLowerInvariant()) > emails.Count / 2, "most emails are lower case");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void SomeVisitorsHaveNoDemographics_AndMultiSelectAnswersAreSeveralRows(string eventName)
    {
        var set = sets.Get(eventName);
        var answers = set.Demographics();
        var withAnswers = answers.Select(a => a.BadgeId).ToHashSet();
        var visitors = set.Data.Registrations.VisitorsOf(ShowRole.ThisYear).ToList();
        var without = visitors.Count(v => !withAnswers.Contains(v.BadgeId));
        Assert.InRange(without / (double)visitors.Count, 0.01, 0.06);

        var specialisationQuestion = set.Data.Show(ShowRole.ThisYear).SpecialisationQuestion!;
        var multi = answers.Where(a => a.Question == specialisationQuestion).GroupBy(a => a.BadgeId).Count(g => g.Count() > 1);
        Assert.True(multi > visitors.Count / 10, $"only {multi} visitors chose several answers to '{specialisationQuestion}'");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    public void MissingJobRoles_AreRecoverableFromTheJobTitle(string eventName)
    {
        var set = sets.Get(eventName);
        var answers = set.Demographics();
        var answered = answers.Select(a => a.BadgeId).ToHashSet();
        var withRole = answers.Where(a => a.Question == "Job Role").Select(a => a.BadgeId).ToHashSet();
        var visitors = set.Data.Registrations.VisitorsOf(ShowRole.ThisYear).Where(v => answered.Contains(v.BadgeId)).ToList();
        var missing = visitors.Where(v => !withRole.Contains(v.BadgeId)).ToList();

        Assert.InRange(missing.Count / (double)visitors.Count, 0.03, 0.08);
        foreach (var visitor in missing)
        {
            var inferred = JobRoleKeywords.Infer(set.Config.Registration.JobRoleInference, visitor.Person.JobTitle);
            Assert.Equal(visitor.Person.Persona.JobRole, inferred);
        }
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    public void MissingPracticeTypes_AreRecoverableFromThePracticesFile(string eventName)
    {
        var set = sets.Get(eventName);
        var answers = set.Demographics();
        var answered = answers.Select(a => a.BadgeId).ToHashSet();
        var question = set.Data.Show(ShowRole.ThisYear).SpecialisationQuestion!;
        var withType = answers.Where(a => a.Question == question).Select(a => a.BadgeId).ToHashSet();
        var practices = set.Csv(set.Config.Inputs.Practices!).Rows
            .ToDictionary(r => TextKeys.CompanyKey(r["Company Name"]), r => r["Main Type of Veterinary Practice"]);
        var visitors = set.Data.Registrations.VisitorsOf(ShowRole.ThisYear).Where(v => answered.Contains(v.BadgeId)).ToList();
        var missing = visitors.Where(v => !withType.Contains(v.BadgeId)).ToList();

        Assert.InRange(missing.Count / (double)visitors.Count, 0.03, 0.08);
        foreach (var visitor in missing)
            Assert.Equal(visitor.Person.Persona.Specialisation, practices[TextKeys.CompanyKey(visitor.Person.Company.Name)]);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void SessionExports_HaveBlankPlaceholderAndDuplicateTitles(string eventName)
    {
        var set = sets.Get(eventName);
        var placeholders = set.Config.Sessions.TitlesToRemove.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var caseVaried = 0;
        var inputs = set.Config.Inputs;
        foreach (var file in new[] { inputs.SessionsThisYear, inputs.SessionsPastMain, inputs.SessionsPastSecondary })
        {
            var (_, rows) = set.Csv(file);
            Assert.InRange(rows.Count(r => r["title"].Length == 0), 2, 4);
            var placeholderRows = rows.Where(r => placeholders.Contains(r["title"])).ToList();
            Assert.InRange(placeholderRows.Count, 2, 3);
            caseVaried += placeholderRows.Count(r => !set.Config.Sessions.TitlesToRemove.Contains(r["title"]));

            var repeats = rows.Where(r => r["title"].Length > 0 && !placeholders.Contains(r["title"]))
                .GroupBy(r => r["title"]).Where(g => g.Count() > 1).ToList();
            Assert.InRange(repeats.Count, 3, 5);
            foreach (var group in repeats)
            {
                var ordered = group.OrderBy(r => r["date"], StringComparer.Ordinal).ThenBy(r => r["start_time"], StringComparer.Ordinal).ToList();
                Assert.True(string.CompareOrdinal(ordered[0]["session_id"], ordered[1]["session_id"]) < 0, "the repeat has a later id");
                Assert.NotEqual((ordered[0]["date"], ordered[0]["start_time"]), (ordered[1]["date"], ordered[1]["start_time"]));
                Assert.Equal(ordered[0]["synopsis_stripped"], ordered[1]["synopsis_stripped"]);
                Assert.Equal(ordered[0]["stream"], ordered[1]["stream"]);
            }
        }
        Assert.True(caseVaried > 0, "placeholder titles appear in another case than the config's");
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("ecomm")]
    public void ScanReferences_TypeSomeTitlesDifferently_ButTheyStillMatchByKeyText(string eventName)
    {
        var set = sets.Get(eventName);
        foreach (var (sessionsFile, referenceFile) in new[]
                 {
                     (set.Config.Inputs.SessionsPastMain, set.Config.Inputs.ScanReferencePastMain),
                     (set.Config.Inputs.SessionsPastSecondary, set.Config.Inputs.ScanReferencePastSecondary),
                 })
        {
            var titles = set.Csv(sessionsFile).Rows.Select(r => r["title"]).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
            var keys = titles.Select(TextKeys.KeyText).ToHashSet();
            var reference = set.Csv(referenceFile).Rows;
            var duplicateTitles = set.Csv(sessionsFile).Rows.GroupBy(r => r["title"]).Where(g => g.Key.Length > 0).Sum(g => g.Count() - 1);
            Assert.Equal(titles.Count + duplicateTitles, reference.Count);
            Assert.All(reference, r => Assert.Contains(TextKeys.KeyText(r["Seminar Name"]), keys));
            var retyped = reference.Count(r => !titles.Contains(r["Seminar Name"]));
            Assert.InRange(retyped / (double)reference.Count, 0.05, 0.3);
        }
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Scans_IncludeUnknownShortNamesUnregisteredBadgesAndRepeats(string eventName)
    {
        var set = sets.Get(eventName);
        var badges = set.Registrations().Select(r => r["BadgeId"]).ToHashSet();
        foreach (var (scansFile, referenceFile) in new[]
                 {
                     (set.Config.Inputs.ScansPastMain, set.Config.Inputs.ScanReferencePastMain),
                     (set.Config.Inputs.ScansPastSecondary, set.Config.Inputs.ScanReferencePastSecondary),
                 })
        {
            var scans = set.Csv(scansFile).Rows;
            var shortNames = set.Csv(referenceFile).Rows.Select(r => r["Short Name"]).ToHashSet();
            var unknown = scans.Count(s => !shortNames.Contains(s["Short Name"]));
            Assert.InRange(unknown / (double)scans.Count, 0.002, 0.02);
            var unregistered = scans.Count(s => !badges.Contains(s["Badge Id"]));
            Assert.InRange(unregistered / (double)scans.Count, 0.001, 0.015);
            Assert.Contains(scans.GroupBy(s => (s["Badge Id"], s["Short Name"])), g => g.Count() > 1);
        }
    }
}
