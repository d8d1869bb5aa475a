using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.Recommendations;
using static PipelineFunctions.Core.Tests.Steps.Recommendations.RecommendationTestData;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

public sealed class BusinessRuleFilterTests
{
    private static readonly Dictionary<string, RecommendableSession> Sessions = ById(
        Session("eq", "Equine lameness workup", "Equine"),
        Session("exo", "Rabbit dentistry", "Exotics"),
        Session("fel", "Cats and kittens", "Feline"),
        Session("sa", "Small animal orthopaedics", "Small Animal"),
        Session("farm", "Herd health planning", "Farm"),
        Session("nur", "Anaesthesia monitoring", "Nursing"),
        Session("well", "Avoiding burnout", "Wellbeing"),
        Session("gen", "Continuing education in surgery", "Surgery"),
        Session("dog", "Dog dentistry", "Surgery"));

    private static BusinessRuleFilter Filter(BusinessRules? rules = null) =>
        new(rules ?? Config.Recommendation.Rules!, Config.Registration.JobRoleField, Config.Registration.PracticeTypeFields.ThisYear);

    private static Dictionary<string, string> Props(
        string practice = "", string role = "", string company = "", string jobTitle = "") =>
        new()
        {
            ["what_type_does_your_practice_specialise_in"] = practice,
            ["job_role"] = role,
            ["Company"] = company,
            ["JobTitle"] = jobTitle,
        };

    private static (List<string> Ids, List<string> Notes) Run(Dictionary<string, string> props, params string[] ids) =>
        Run(Filter(), props, ids);

    private static (List<string> Ids, List<string> Notes) Run(BusinessRuleFilter filter, Dictionary<string, string> props, params string[] ids)
    {
        var visitor = Visitor("B1", props, ids.Select((id, i) => (id, 0.9 - i * 0.01)).ToArray());
        var notes = new List<string>();
        var result = filter.Apply(visitor, Sessions, notes);
        return (result.Select(r => r.SessionId).ToList(), notes);
    }

    [Fact]
    public void Config_names_the_visitor_columns()
    {
        Assert.Equal("job_role", Config.Registration.JobRoleField);
        Assert.Equal("what_type_does_your_practice_specialise_in", Config.Registration.PracticeTypeFields.ThisYear);
        Assert.NotNull(Config.Recommendation.Rules);
    }

    [Fact]
    public void Equine_or_mixed_practice_drops_exotics_feline_farm_and_small_animal_streams()
    {
        // Several practice values joined by ';', matched case-insensitively.
        var (ids, notes) = Run(Props(practice: "Small Animal; EQUINE", company: "Horse Clinic Ltd"),
            "eq", "exo", "fel", "sa", "farm", "gen");
        Assert.Equal(["eq", "gen"], ids);
        Assert.Empty(notes);

        var (mixed, _) = Run(Props(practice: "mixed", jobTitle: "Mixed practice vet"), "eq", "exo", "farm", "gen");
        Assert.Equal(["eq", "gen"], mixed);
    }

    [Fact]
    public void Small_animal_practice_drops_equine_and_farm_streams()
    {
        // "mixed" in the job title satisfies the equine-stream rule, so only the small animal rule removes "eq".
        var (ids, notes) = Run(Props(practice: "Small Animal", jobTitle: "Mixed practice vet"), "eq", "farm", "sa", "gen");
        Assert.Equal(["sa", "gen"], ids);
        Assert.Empty(notes);
    }

    [Fact]
    public void Vet_roles_drop_nursing_streams()
    {
        var (ids, _) = Run(Props(role: "Vet/Vet Surgeon"), "nur", "well", "gen");
        Assert.Equal(["well", "gen"], ids);
    }

    [Fact]
    public void Nurse_roles_keep_only_nursing_wellbeing_and_welfare_streams()
    {
        var (ids, notes) = Run(Props(role: "vet nurse"), "nur", "gen", "well", "sa");
        Assert.Equal(["nur", "well"], ids);
        Assert.Empty(notes);
    }

    [Fact]
    public void Equine_streams_need_an_equine_keyword_in_company_or_job_title()
    {
        Assert.Equal(["gen"], Run(Props(company: "City Vets"), "eq", "gen").Ids);
        Assert.Equal(["eq", "gen"], Run(Props(company: "Rossdales EQUINE Hospital"), "eq", "gen").Ids);
        Assert.Equal(["eq", "gen"], Run(Props(jobTitle: "Horse vet"), "eq", "gen").Ids);
    }

    [Fact]
    public void Equine_visitors_get_no_cat_or_dog_titles_matched_as_words()
    {
        var (ids, _) = Run(Props(jobTitle: "Equine vet"), "fel", "dog", "gen", "eq");
        // "Cats and kittens" and "Dog dentistry" go; "Continuing education" stays although it contains "cat".
        Assert.Equal(["gen", "eq"], ids);

        // Not an equine visitor: the titles stay.
        Assert.Equal(["fel", "dog", "gen"], Run(Props(jobTitle: "Vet"), "fel", "dog", "gen").Ids);
    }

    [Fact]
    public void A_rule_that_would_leave_nothing_keeps_the_list_from_before_it_and_notes_it()
    {
        var (ids, notes) = Run(Props(role: "Vet Nurse"), "gen", "sa");
        Assert.Equal(["gen", "sa"], ids);
        var note = Assert.Single(notes);
        Assert.Contains("nurse", note, StringComparison.OrdinalIgnoreCase);

        // Only the emptying rule falls back: the earlier small animal rule still applied.
        var (later, laterNotes) = Run(Props(practice: "Small Animal", role: "Vet Nurse"), "farm", "gen", "sa");
        Assert.Equal(["gen", "sa"], later);
        Assert.Single(laterNotes);
    }

    [Fact]
    public void Disabled_rules_pass_everything_through()
    {
        var r = Config.Recommendation.Rules!;
        var disabled = new BusinessRules
        {
            Enabled = false,
            VetRoles = r.VetRoles,
            NurseRoles = r.NurseRoles,
            EquineMixedExclusions = r.EquineMixedExclusions,
            SmallAnimalExclusions = r.SmallAnimalExclusions,
            VetExclusions = r.VetExclusions,
            NurseStreams = r.NurseStreams,
            EquineStreamKeywords = r.EquineStreamKeywords,
            EquineVisitorKeywords = r.EquineVisitorKeywords,
            EquineBlockedTitleKeywords = r.EquineBlockedTitleKeywords,
        };
        var (ids, notes) = Run(Filter(disabled), Props(practice: "Equine", role: "Vet Nurse", jobTitle: "Equine vet"),
            "fel", "eq", "exo", "gen");
        Assert.Equal(["fel", "eq", "exo", "gen"], ids);
        Assert.Empty(notes);
    }
}
