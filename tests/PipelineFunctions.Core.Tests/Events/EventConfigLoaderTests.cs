using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using PipelineFunctions.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PipelineFunctions.Core.Tests.Events;

public sealed class EventConfigLoaderTests
{
    private const string Source = "test.yaml";

    // A config holding only the required keys, in four parts so a test can drop a whole section.
    private const string EventPart = """
        event:
          name: test_show
          main_event_name: tst
          secondary_event_name: prt
          year: 2025
          date: 2025-11-20
          shows_this_year: [TST25]
          shows_last_year_main: [TST24]
          shows_last_year_secondary: [PRT24]

        """;

    private const string InputsPart = """
        inputs:
          main_registration: reg_main.json
          secondary_registration: reg_secondary.json
          main_demographics: demo_main.json
          secondary_demographics: demo_secondary.json
          sessions_this_year: sessions_this_year.csv
          sessions_past_main: sessions_past_main.csv
          sessions_past_secondary: sessions_past_secondary.csv
          scans_past_main: scans_main.csv
          scan_reference_past_main: scan_reference_main.csv
          scans_past_secondary: scans_secondary.csv
          scan_reference_past_secondary: scan_reference_secondary.csv
          job_role_to_stream: job_to_stream.csv
          specialisation_to_stream: specialisation_to_stream.csv
          theatre_capacity: theatres.csv

        """;

    private const string RegistrationPart = """
        registration:
          valid_badge_types: [Visitor]
          questions_to_keep: [Job Role]

        """;

    private const string RecommendationPart = """
        recommendation:
          min_similarity_score: 0.4
          max_recommendations: 12
          similarity_attributes:
            job_role: 1.0

        """;

    private const string Minimal = EventPart + InputsPart + RegistrationPart + RecommendationPart;

    // ---------------------------------------------------------------- the shipped configs

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("vet_bva")]
    [InlineData("ecomm")]
    public void Shipped_config_loads_by_event_name(string eventName)
    {
        var path = EventConfigLoader.ResolveEventPath(eventName, Repo.Root);

        var config = EventConfigLoader.LoadFile(path);

        Assert.Equal(Path.Combine(Repo.Root, "config", "events", eventName + ".yaml"), path);
        Assert.Equal(eventName, config.Event.Name);
        Assert.Equal(path, config.SourcePath);
    }

    [Fact]
    public void Vet_lva_has_its_show_refs_questions_thresholds_weights_and_rules()
    {
        var config = Load("vet_lva");

        var e = config.Event;
        Assert.Equal(("lva", "bva"), (e.MainEventName, e.SecondaryEventName));
        Assert.Equal(2025, e.Year);
        Assert.Equal(new DateOnly(2025, 11, 20), e.Date);
        Assert.Equal(new DateOnly(2025, 11, 21), e.EndDate);
        Assert.Equal(["LVS25"], e.ShowsThisYear);
        Assert.Equal(["LVS24"], e.ShowsLastYearMain);
        Assert.Equal(["BVA25"], e.ShowsLastYearSecondary);

        Assert.Equal("LVS25_session_export.csv", config.Inputs.SessionsThisYear);
        Assert.Equal("lvs2024 seminar scans.csv", config.Inputs.ScansPastMain);
        Assert.Equal("practices_missing.csv", config.Inputs.Practices);

        var registration = config.Registration;
        Assert.True(registration.OldFormat);
        Assert.Equal(["Delegate", "Delegate - Group"], registration.ValidBadgeTypes);
        Assert.Equal(["Job Role", "What type does your practice specialise in?", "What areas do you specialise in?", "Organisation Type"],
            registration.QuestionsToKeep);
        Assert.Equal("what_type_does_your_practice_specialise_in", registration.PracticeTypeFields.ThisYear);
        Assert.Equal("what_areas_do_you_specialise_in", registration.PracticeTypeFields.PastSecondary);
        Assert.Equal(5, registration.JobRoleInference.Count);
        Assert.Equal(["nurse", "rvn"], registration.JobRoleInference[1].Keywords);
        Assert.Equal("Vet Nurse", registration.JobRoleInference[1].Role);

        Assert.Contains("-", config.Sessions.TitlesToRemove);
        Assert.Equal("Not Sponsored", config.Sessions.SponsorAbbreviations["No Data"]);
        Assert.Equal(8, config.Streams.Descriptions.Count);
        Assert.Empty(config.Streams.SpecialisationMaps.ThisYear);
        Assert.Equal("Small Animal", config.Streams.SpecialisationMaps.PastSecondary["Companion Animal"]);

        var r = config.Recommendation;
        Assert.Equal(0.3, r.MinSimilarityScore);
        Assert.Equal(10, r.MaxRecommendations);
        Assert.Equal(3, r.SimilarVisitorsCount);
        Assert.Equal(1.5, r.SimilarityExponent);
        Assert.True(r.ResolveOverlappingSessions);
        Assert.Equal(new Dictionary<string, double>
        {
            ["job_role"] = 0.8,
            ["what_type_does_your_practice_specialise_in"] = 0.8,
            ["organisation_type"] = 0.8,
            ["Country"] = 0.5,
        }, r.SimilarityAttributes);
        Assert.Equal(["Email", "Forename", "Surname", "Company", "JobTitle", "Country"], r.ExportVisitorFields);
        Assert.Equal((true, 3.0), (r.TheatreCapacity.Enabled, r.TheatreCapacity.Multiplier));
        Assert.Equal((true, 5.0, 42), (r.ControlGroup.Enabled, r.ControlGroup.Percentage, r.ControlGroup.Seed));

        var rules = Assert.IsType<BusinessRules>(r.Rules);
        Assert.True(rules.Enabled);
        Assert.Contains("Locum Vet", rules.VetRoles);
        Assert.Equal(["Head Nurse/Senior Nurse", "Vet Nurse", "Locum RVN"], rules.NurseRoles);
        Assert.Equal(["nursing", "wellbeing", "welfare"], rules.NurseStreams);
        Assert.Equal(["cat", "dog", "feline"], rules.EquineBlockedTitleKeywords);

        Assert.Equal(("local", 384, 100, false),
            (config.Embeddings.Generator, config.Embeddings.Dimensions, config.Embeddings.BatchSize, config.Embeddings.IncludeStreamDescriptions));
        Assert.Equal(("dev", false), (config.Graph.Environment, config.Graph.CreateOnlyNew));
    }

    [Fact]
    public void Vet_bva_alias_gives_this_year_and_past_main_the_same_specialisation_map()
    {
        var config = Load("vet_bva");

        var maps = config.Streams.SpecialisationMaps;
        var expected = new Dictionary<string, string>
        {
            ["Companion Animal"] = "Small Animal",
            ["Cattle"] = "Farm",
            ["Dairy"] = "Farm",
            ["Sheep"] = "Farm",
            ["Pigs"] = "Farm",
        };
        Assert.Equal(expected, maps.ThisYear);
        Assert.Equal(expected, maps.PastMain);
        Assert.NotSame(maps.ThisYear, maps.PastMain); // bound twice: changing one map cannot change the other
        Assert.Empty(maps.PastSecondary);

        Assert.Equal(("bva", "lva"), (config.Event.MainEventName, config.Event.SecondaryEventName));
        Assert.False(config.Registration.OldFormat);
        Assert.Equal("what_areas_do_you_specialise_in", config.Registration.PracticeTypeFields.ThisYear);
        Assert.Equal("what_type_does_your_practice_specialise_in", config.Registration.PracticeTypeFields.PastSecondary);
        Assert.NotNull(config.Recommendation.Rules);
        Assert.Equal(0.3, config.Recommendation.MinSimilarityScore);
        Assert.Equal(10, config.Recommendation.MaxRecommendations);
    }

    [Fact]
    public void Vet_shows_are_each_others_secondary_show()
    {
        var lva = Load("vet_lva");
        var bva = Load("vet_bva");

        Assert.Equal(lva.Event.MainEventName, bva.Event.SecondaryEventName);
        Assert.Equal(bva.Event.MainEventName, lva.Event.SecondaryEventName);
        Assert.Equal(lva.Event.ShowsLastYearSecondary, bva.Event.ShowsLastYearMain); // BVA25 is last year's BVA for both
    }

    [Fact]
    public void Ecomm_uses_the_new_export_format_no_vet_rules_and_its_own_weights()
    {
        var config = Load("ecomm");

        Assert.Equal(("ecomm", "tfm"), (config.Event.MainEventName, config.Event.SecondaryEventName));
        Assert.Equal(["ECE25"], config.Event.ShowsThisYear);
        Assert.False(config.Registration.OldFormat);
        Assert.Equal(["Visitor", "VIP"], config.Registration.ValidBadgeTypes);
        Assert.Empty(config.Registration.JobRoleInference);
        Assert.Null(config.Inputs.Practices);
        Assert.Empty(config.Sessions.SponsorAbbreviations);
        Assert.Empty(config.Streams.SpecialisationMaps.ThisYear);

        var r = config.Recommendation;
        Assert.Null(r.Rules);
        Assert.Equal(0.5, r.MinSimilarityScore);
        Assert.Equal(20, r.MaxRecommendations);
        Assert.False(r.ResolveOverlappingSessions);
        Assert.Equal(new Dictionary<string, double>
        {
            ["job_role"] = 0.6,
            ["what_best_describes_what_you_do"] = 0.8,
            ["what_is_your_industry"] = 1.0,
            ["which_solutions_are_you_interested_in"] = 1.0,
            ["Country"] = 0.3,
            ["why_are_you_attending"] = 0.6,
        }, r.SimilarityAttributes);
        Assert.False(config.Embeddings.IncludeStreamDescriptions); // key absent: the default
    }

    [Fact]
    public void Configs_load_in_parallel()
    {
        var path = EventConfigLoader.ResolveEventPath("vet_lva", Repo.Root);
        var text = File.ReadAllText(path);

        Parallel.For(0, 64, _ => Assert.Equal(10, EventConfigLoader.Parse(text, path).Recommendation.MaxRecommendations));
    }

    // ---------------------------------------------------------------- defaults

    [Fact]
    public void Optional_keys_take_their_defaults()
    {
        var config = EventConfigLoader.Parse(Minimal, Source);

        Assert.Equal(Source, config.SourcePath);
        Assert.Null(config.Event.EndDate);
        Assert.Null(config.Inputs.Practices);

        var registration = config.Registration;
        Assert.True(registration.OldFormat);
        Assert.Empty(registration.JobRoleInference);
        Assert.Equal("job_role", registration.JobRoleField);
        Assert.Null(registration.PracticeTypeFields.ThisYear);
        Assert.Null(registration.PracticeTypeFields.PastMain);
        Assert.Null(registration.PracticeTypeFields.PastSecondary);
        Assert.Empty(registration.ExtraRegistrationFields);

        Assert.Empty(config.Sessions.TitlesToRemove);
        Assert.Empty(config.Sessions.SponsorAbbreviations);
        Assert.Empty(config.Streams.Descriptions);
        Assert.Empty(config.Streams.SpecialisationMaps.ThisYear);
        Assert.Empty(config.Streams.SpecialisationMaps.PastMain);
        Assert.Empty(config.Streams.SpecialisationMaps.PastSecondary);

        Assert.Equal("local", config.Embeddings.Generator);
        Assert.Equal(384, config.Embeddings.Dimensions);
        Assert.Equal(100, config.Embeddings.BatchSize);
        Assert.False(config.Embeddings.IncludeStreamDescriptions);

        var r = config.Recommendation;
        Assert.Equal(3, r.SimilarVisitorsCount);
        Assert.Equal(1.5, r.SimilarityExponent);
        Assert.True(r.ResolveOverlappingSessions);
        Assert.Empty(r.ExportVisitorFields);
        Assert.Equal(42, r.RandomSeed);
        Assert.True(r.TheatreCapacity.Enabled);
        Assert.Equal(3.0, r.TheatreCapacity.Multiplier);
        Assert.True(r.ControlGroup.Enabled);
        Assert.Equal(5.0, r.ControlGroup.Percentage);
        Assert.Equal(42, r.ControlGroup.Seed);
        Assert.Null(r.Rules);

        Assert.Equal("dev", config.Graph.Environment);
        Assert.False(config.Graph.CreateOnlyNew);
    }

    [Fact]
    public void A_partly_written_section_keeps_the_defaults_of_its_other_keys()
    {
        var yaml = Edit(Minimal, "  max_recommendations: 12\n", """
              max_recommendations: 12
              control_group: { percentage: 10 }
              rules:
                vet_roles: [Vet]
                nurse_roles: [Nurse]

            """);

        var r = EventConfigLoader.Parse(yaml, Source).Recommendation;

        Assert.Equal((true, 10.0, 42), (r.ControlGroup.Enabled, r.ControlGroup.Percentage, r.ControlGroup.Seed));
        var rules = Assert.IsType<BusinessRules>(r.Rules);
        Assert.True(rules.Enabled);
        Assert.Empty(rules.NurseStreams);
        Assert.Empty(rules.EquineStreamKeywords);
    }

    [Theory]
    [InlineData("  date: 2025-11-20\n", "  date: 2025-11-20\n  end_date: ~\n")]
    [InlineData("  theatre_capacity: theatres.csv\n", "  theatre_capacity: theatres.csv\n  practices:\n")]
    [InlineData("  max_recommendations: 12\n", "  max_recommendations: 12\n  rules: null\n")]
    public void Optional_values_may_be_written_as_null(string find, string replace)
    {
        var config = EventConfigLoader.Parse(Edit(Minimal, find, replace), Source);

        Assert.Null(config.Event.EndDate);
        Assert.Null(config.Inputs.Practices);
        Assert.Null(config.Recommendation.Rules);
    }

    [Fact]
    public void Anchors_and_aliases_resolve_anywhere()
    {
        var yaml = Edit(Edit(Minimal, "  valid_badge_types: [Visitor]", "  valid_badge_types: &badges [Visitor, VIP]"),
            "  questions_to_keep: [Job Role]", "  questions_to_keep: [Job Role]\n  extra_registration_fields: *badges");

        var registration = EventConfigLoader.Parse(yaml, Source).Registration;

        Assert.Equal(["Visitor", "VIP"], registration.ExtraRegistrationFields);
        Assert.NotSame(registration.ValidBadgeTypes, registration.ExtraRegistrationFields);
    }

    // ---------------------------------------------------------------- rejections

    public static TheoryData<string, string, string, string, string, string> Rejections => new()
    {
        // name, find, replace, field, the line the message names (last line containing this), message fragment
        {
            "unknown top-level key", "recommendation:\n", "extras: 1\nrecommendation:\n",
            "extras", "extras: 1",
            "unknown key (allowed here: embeddings, event, graph, inputs, orchestration, recommendation, registration, sessions, streams)"
        },
        {
            "unknown nested key", "  max_recommendations: 12\n", "  max_recommendations: 12\n  control_group:\n    enabled: true\n    sed: 7\n",
            "recommendation.control_group.sed", "sed: 7", "unknown key (allowed here: enabled, percentage, seed)"
        },
        { "unknown event key", "  year: 2025\n", "  year: 2025\n  venue: ExCeL\n", "event.venue", "venue: ExCeL", "unknown key" },
        {
            "unknown key in a list item", "  questions_to_keep: [Job Role]\n",
            "  questions_to_keep: [Job Role]\n  job_role_inference:\n    - { keywords: [vet], rol: Vet }\n",
            "registration.job_role_inference[0].rol", "rol: Vet", "unknown key (allowed here: keywords, role)"
        },
        { "missing event.date", "  date: 2025-11-20\n", "", "event.date", "  name: test_show", "required key is missing (in the mapping at line" },
        {
            "missing inputs.sessions_this_year", "  sessions_this_year: sessions_this_year.csv\n", "",
            "inputs.sessions_this_year", "  main_registration:", "required key is missing"
        },
        {
            "missing key in a list item", "  questions_to_keep: [Job Role]\n",
            "  questions_to_keep: [Job Role]\n  job_role_inference:\n    - keywords: [vet]\n",
            "registration.job_role_inference[0].role", "- keywords: [vet]", "required key is missing"
        },
        {
            "missing rules.nurse_roles", "  max_recommendations: 12\n", "  max_recommendations: 12\n  rules:\n    vet_roles: [Vet]\n",
            "recommendation.rules.nurse_roles", "vet_roles: [Vet]", "required key is missing"
        },
        {
            "string where int", "  max_recommendations: 12", "  max_recommendations: ten",
            "recommendation.max_recommendations", "max_recommendations: ten", "expected an integer, got 'ten'"
        },
        {
            "fraction where int", "  max_recommendations: 12", "  max_recommendations: 12.5",
            "recommendation.max_recommendations", "max_recommendations: 12.5", "expected an integer, got '12.5'"
        },
        { "int too large", "  year: 2025", "  year: 99999999999", "event.year", "year: 99999999999", "expected an integer" },
        {
            "string where number", "  min_similarity_score: 0.4", "  min_similarity_score: high",
            "recommendation.min_similarity_score", "min_similarity_score: high", "expected a number, got 'high'"
        },
        {
            "infinite number", "  max_recommendations: 12\n", "  max_recommendations: 12\n  theatre_capacity: { multiplier: Infinity }\n",
            "recommendation.theatre_capacity.multiplier", "multiplier: Infinity", "expected a number, got 'Infinity'"
        },
        {
            "not a number", "  min_similarity_score: 0.4", "  min_similarity_score: NaN",
            "recommendation.min_similarity_score", "min_similarity_score: NaN", "expected a number"
        },
        {
            "string where weight", "    job_role: 1.0", "    job_role: heavy",
            "recommendation.similarity_attributes.job_role", "job_role: heavy", "expected a number, got 'heavy'"
        },
        {
            "list where string", "  sessions_this_year: sessions_this_year.csv", "  sessions_this_year: [a.csv, b.csv]",
            "inputs.sessions_this_year", "sessions_this_year: [a.csv", "expected a string, got a list"
        },
        {
            "mapping where string", "  main_event_name: tst", "  main_event_name: { short: tst }",
            "event.main_event_name", "main_event_name: {", "expected a string, got a mapping"
        },
        {
            "mapping where list", "  shows_this_year: [TST25]", "  shows_this_year: { show: TST25 }",
            "event.shows_this_year", "shows_this_year: {", "expected a list"
        },
        {
            "string where list", "  shows_this_year: [TST25]", "  shows_this_year: TST25",
            "event.shows_this_year", "shows_this_year: TST25", "expected a list"
        },
        { "string where section", "recommendation:\n", "graph: prod\nrecommendation:\n", "graph", "graph: prod", "expected a mapping of keys" },
        {
            "list where map", "  questions_to_keep: [Job Role]\n", "  questions_to_keep: [Job Role]\n  practice_type_fields: [a, b]\n",
            "registration.practice_type_fields", "practice_type_fields: [a, b]", "expected a mapping of keys"
        },
        {
            "bad date", "  date: 2025-11-20", "  date: 20/11/2025",
            "event.date", "date: 20/11/2025", "expected a date (yyyy-MM-dd), got '20/11/2025'"
        },
        { "impossible date", "  date: 2025-11-20", "  date: 2025-02-30", "event.date", "date: 2025-02-30", "expected a date (yyyy-MM-dd)" },
        {
            "yes for a bool", "  questions_to_keep: [Job Role]\n", "  questions_to_keep: [Job Role]\n  old_format: yes\n",
            "registration.old_format", "old_format: yes", "expected true or false, got 'yes'"
        },
        { "null for a required value", "  date: 2025-11-20", "  date:", "event.date", "  date:", "a value is required" },
        {
            "tilde for a required value", "  main_event_name: tst", "  main_event_name: ~",
            "event.main_event_name", "main_event_name: ~", "a value is required"
        },
        { "null for a section with defaults", "recommendation:\n", "graph:\nrecommendation:\n", "graph", "graph:", "a value is required" },
        {
            "null list item", "  shows_this_year: [TST25]", "  shows_this_year: [TST25, ~]",
            "event.shows_this_year[1]", "shows_this_year: [TST25, ~]", "list items cannot be empty"
        },
        {
            "null map value", "    job_role: 1.0", "    job_role:",
            "recommendation.similarity_attributes.job_role", "    job_role:", "a value is required"
        },
        {
            "duplicate key", "  year: 2025\n", "  year: 2025\n  year: 2026\n",
            "event.year", "year: 2026", "key appears twice (line 6, first at line 5)"
        },
        {
            "duplicate section", "recommendation:\n", "graph:\n  environment: dev\ngraph:\n  environment: prod\nrecommendation:\n",
            "graph", "graph:", "key appears twice (line 30, first at line 28)"
        },
        {
            "duplicate map key", "    job_role: 1.0", "    job_role: 1.0\n    job_role: 0.5",
            "recommendation.similarity_attributes.job_role", "job_role: 0.5", "key appears twice (line 33, first at line 32)"
        },
        {
            "duplicate key in a list item", "  questions_to_keep: [Job Role]\n",
            "  questions_to_keep: [Job Role]\n  job_role_inference:\n    - { keywords: [a], role: A }\n    - { keywords: [b], role: B, role: C }\n",
            "registration.job_role_inference[1].role", "role: C", "key appears twice"
        },
        {
            "min_similarity_score 1.5", "  min_similarity_score: 0.4", "  min_similarity_score: 1.5",
            "recommendation.min_similarity_score", "min_similarity_score: 1.5", "must be between 0 and 1"
        },
        {
            "max_recommendations 0", "  max_recommendations: 12", "  max_recommendations: 0",
            "recommendation.max_recommendations", "max_recommendations: 0", "must be between 1 and 200"
        },
        {
            "max_recommendations 201", "  max_recommendations: 12", "  max_recommendations: 201",
            "recommendation.max_recommendations", "max_recommendations: 201", "must be between 1 and 200"
        },
        {
            "similar_visitors_count 0", "  max_recommendations: 12\n", "  max_recommendations: 12\n  similar_visitors_count: 0\n",
            "recommendation.similar_visitors_count", "similar_visitors_count: 0", "must be between 1 and 100"
        },
        {
            "similarity_exponent 0.5", "  max_recommendations: 12\n", "  max_recommendations: 12\n  similarity_exponent: 0.5\n",
            "recommendation.similarity_exponent", "similarity_exponent: 0.5", "must be between 1 and 10"
        },
        {
            "no similarity attributes", "  similarity_attributes:\n    job_role: 1.0\n", "  similarity_attributes: {}\n",
            "recommendation.similarity_attributes", "similarity_attributes: {}", "list at least one attribute"
        },
        {
            "weight 0", "    job_role: 1.0", "    job_role: 0",
            "recommendation.similarity_attributes.job_role", "job_role: 0", "weight must be above 0 and at most 10"
        },
        {
            "weight 11", "    job_role: 1.0", "    job_role: 11",
            "recommendation.similarity_attributes.job_role", "job_role: 11", "weight must be above 0 and at most 10"
        },
        {
            "multiplier 0", "  max_recommendations: 12\n", "  max_recommendations: 12\n  theatre_capacity:\n    multiplier: 0\n",
            "recommendation.theatre_capacity.multiplier", "multiplier: 0", "must be above 0"
        },
        {
            "control group 80 %", "  max_recommendations: 12\n", "  max_recommendations: 12\n  control_group: { enabled: true, percentage: 80 }\n",
            "recommendation.control_group.percentage", "percentage: 80", "must be between 0 and 50"
        },
        {
            "this year's scans named like last year's", "  theatre_capacity: theatres.csv\n",
            "  theatre_capacity: theatres.csv\n  scans_this_year: scans_main.csv\n",
            "inputs.scans_this_year", "scans_this_year: scans_main.csv", "must name another file than last year's scans"
        },
        {
            "control group -1 %", "  max_recommendations: 12\n", "  max_recommendations: 12\n  control_group:\n    percentage: -1\n",
            "recommendation.control_group.percentage", "percentage: -1", "must be between 0 and 50"
        },
        {
            "holdout of everyone", "  max_recommendations: 12\n", "  max_recommendations: 12\n  ranking: { holdout_share: 1.0 }\n",
            "recommendation.ranking.holdout_share", "holdout_share: 1.0", "must be above 0 and below 1"
        },
        {
            "negative promotion margin", "  max_recommendations: 12\n", "  max_recommendations: 12\n  ranking: { promotion_margin: -0.1 }\n",
            "recommendation.ranking.promotion_margin", "promotion_margin: -0.1", "must be between 0 and 1"
        },
        {
            "one leaf", "  max_recommendations: 12\n", "  max_recommendations: 12\n  ranking:\n    leaves: 1\n",
            "recommendation.ranking.leaves", "leaves: 1", "must be between 2 and 256"
        },
        {
            "no trees", "  max_recommendations: 12\n", "  max_recommendations: 12\n  ranking:\n    trees: 0\n",
            "recommendation.ranking.trees", "trees: 0", "must be between 1 and 2000"
        },
        {
            "unknown ranking key", "  max_recommendations: 12\n", "  max_recommendations: 12\n  ranking:\n    tress: 10\n",
            "recommendation.ranking.tress", "tress: 10", "unknown key"
        },
        {
            "graph environment staging", "recommendation:\n", "graph:\n  environment: staging\nrecommendation:\n",
            "graph.environment", "environment: staging", "must be one of dev, test, prod"
        },
        {
            "embedding generator foo", "recommendation:\n", "embeddings:\n  generator: foo\nrecommendation:\n",
            "embeddings.generator", "generator: foo", "must be one of local, azure_openai"
        },
        {
            "embedding dimensions 4", "recommendation:\n", "embeddings:\n  dimensions: 4\nrecommendation:\n",
            "embeddings.dimensions", "dimensions: 4", "must be between 8 and 4096"
        },
        {
            "embedding batch size 0", "recommendation:\n", "embeddings:\n  batch_size: 0\nrecommendation:\n",
            "embeddings.batch_size", "batch_size: 0", "must be between 1 and 2048"
        },
        {
            "no embedding batch in flight", "recommendation:\n", "embeddings:\n  max_batches_in_flight: 0\nrecommendation:\n",
            "embeddings.max_batches_in_flight", "max_batches_in_flight: 0", "must be between 1 and 64"
        },
        {
            "secondary name equals main", "  secondary_event_name: prt", "  secondary_event_name: TST",
            "event.secondary_event_name", "secondary_event_name: TST", "must differ from event.main_event_name"
        },
        {
            "empty main name", "  main_event_name: tst", "  main_event_name: \"\"",
            "event.main_event_name", "main_event_name: \"\"", "must not be empty"
        },
        { "empty event name", "  name: test_show", "  name: ''", "event.name", "name: ''", "must not be empty" },
        {
            "event name with a slash", "  name: test_show", "  name: test/show",
            "event.name", "name: test/show", "use letters, digits, '_' and '-' only"
        },
        {
            "end before start", "  date: 2025-11-20\n", "  date: 2025-11-20\n  end_date: 2025-11-19\n",
            "event.end_date", "end_date: 2025-11-19", "must not be before event.date"
        },
        {
            "no show this year", "  shows_this_year: [TST25]", "  shows_this_year: []",
            "event.shows_this_year", "shows_this_year: []", "list at least one show ref"
        },
        {
            "no badge type", "  valid_badge_types: [Visitor]", "  valid_badge_types: []",
            "registration.valid_badge_types", "valid_badge_types: []", "list at least one badge type"
        },
        {
            "merge keys are not supported", "  max_recommendations: 12\n", "  max_recommendations: 12\n  control_group:\n    <<: { seed: 1 }\n",
            "recommendation.control_group.<<", "<<:", "unknown key"
        },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects(string name, string find, string replace, string field, string lineText, string fragment)
    {
        _ = name;
        var yaml = Edit(Minimal, find, replace);

        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, Source));

        Assert.Equal(Source, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(fragment, e.Message);
        Assert.Matches($@"\bline {LastLineOf(yaml, lineText)}\b", e.Message);
        Assert.StartsWith($"{Source}, field '{field}': ", e.Message);
        Assert.Null(e.Row);
    }

    [Fact]
    public void Rejects_a_missing_section()
    {
        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(EventPart + InputsPart + RegistrationPart, Source));

        Assert.Equal((Source, "recommendation"), (e.File, e.Field));
        Assert.Equal("test.yaml, field 'recommendation': required key is missing (in the mapping at line 1)", e.Message);
    }

    [Theory]
    // YamlDotNet itself fails with InvalidOperationException here
    [InlineData("  name: test_show", "  name: [test_show", 2, 9, "this '[' is never closed")]
    [InlineData("  year: 2025", "  year: [2025, 2026", 5, 9, "this '[' is never closed")]
    [InlineData("  name: test_show", "  name: { a: test_show", 2, 9, "this '{' is never closed")]
    [InlineData("  year: 2025", "  year: 2025: 11", 5, 13, "found invalid mapping")]           // a second ':' on one line
    [InlineData("  year: 2025", "  year: \"2025", 5, 9, "double-quoted scalar")]              // quote never closed
    [InlineData("  year: 2025", "   year: 2025", 5, 8, "found invalid mapping")]              // indentation off by one
    [InlineData("  year: 2025", "  year: *missing", 5, 9, "an alias (*name) refers to an anchor (&name) not defined above it")]
    public void Rejects_invalid_yaml_naming_line_and_column(string find, string replace, int line, int column, string fragment)
    {
        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(Edit(Minimal, find, replace), Source));

        Assert.Equal(Source, e.File);
        Assert.Null(e.Field);
        Assert.Contains($"not valid YAML at line {line}, column {column}: ", e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# nothing but a comment\n")]
    public void Rejects_an_empty_file(string yaml)
    {
        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, Source));

        Assert.Equal(Source, e.File);
        Assert.Null(e.Field);
        Assert.Contains("the file is empty", e.Message);
    }

    [Theory]
    [InlineData("- event\n- inputs\n", "got a list (line 1)")]
    [InlineData("\nvet_lva\n", "got a single value (line 2)")]
    public void Rejects_a_file_that_is_not_a_mapping(string yaml, string fragment)
    {
        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, Source));

        Assert.Equal((Source, null), (e.File, e.Field));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Rejects_a_second_yaml_document()
    {
        var yaml = Minimal + "---\ngraph:\n  environment: prod\n";

        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, Source));

        Assert.Equal((Source, null), (e.File, e.Field));
        Assert.Contains($"holds 2 YAML documents, an event config is one (the second starts at line {LastLineOf(yaml, "graph:")})", e.Message);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData(@"a\b")]
    [InlineData("/etc/passwd")]
    [InlineData("vet lva")]
    [InlineData("vet_lva.yaml")]
    [InlineData("")]
    [InlineData(" ")]
    public void Event_names_cannot_leave_the_events_folder(string eventName)
    {
        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.ResolveEventPath(eventName, Repo.Root));

        Assert.Equal("--event", e.File);
        Assert.Null(e.Field);
        Assert.Contains("is not an event name (letters, digits, '_' and '-' only)", e.Message);
    }

    [Fact]
    public void Event_name_resolves_to_config_events_name_yaml()
    {
        var root = Path.Combine(Path.GetTempPath(), "pa-root");

        Assert.Equal(Path.Combine(root, "config", "events", "my-show_2").Replace('\\', '/') + ".yaml",
            EventConfigLoader.ResolveEventPath("my-show_2", root).Replace('\\', '/'));
    }

    [Fact]
    public void Rejects_a_missing_file()
    {
        var path = EventConfigLoader.ResolveEventPath("no_such_event", Repo.Root);

        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.LoadFile(path));

        Assert.Equal((path, null), (e.File, e.Field));
        Assert.Equal($"{path}: event config file not found", e.Message);
    }

    [Fact]
    public void A_config_given_by_path_loads_and_its_errors_name_that_path()
    {
        var directory = Directory.CreateTempSubdirectory("pa-config-");
        try
        {
            var good = Path.Combine(directory.FullName, "anywhere.yaml");
            File.WriteAllText(good, Minimal);
            var bad = Path.Combine(directory.FullName, "bad.yaml");
            File.WriteAllText(bad, Edit(Minimal, "  max_recommendations: 12", "  max_recommendations: ten"));

            Assert.Equal(good, EventConfigLoader.LoadFile(good).SourcePath);
            var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.LoadFile(bad));
            Assert.Equal(bad, e.File);
            var line = LastLineOf(File.ReadAllText(bad), "max_recommendations: ten");
            Assert.Equal($"{bad}, field 'recommendation.max_recommendations': expected an integer, got 'ten' (line {line})", e.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // ---------------------------------------------------------------- every key of the model, against vet_lva and the doc

    [Fact]
    public void Removing_any_required_key_from_vet_lva_names_that_key()
    {
        var keys = ConfigKeys().ToList();
        var required = keys.Where(k => k.Required).ToList();
        Assert.True(required.Count > 30, $"only {required.Count} required keys found");

        foreach (var key in required)
        {
            var yaml = VetLvaWithout(key.ConcretePath) ?? throw new InvalidOperationException($"vet_lva.yaml has no {key.ConcretePath}");

            var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, "vet_lva.yaml"));

            Assert.True(key.ConcretePath == e.Field, $"removing {key.ConcretePath}: field was {e.Field} ({e.Message})");
            Assert.Contains("required key is missing (in the mapping at line", e.Message);
        }
    }

    [Fact]
    public void Removing_any_optional_key_from_vet_lva_still_loads()
    {
        var removed = 0;
        foreach (var key in ConfigKeys().Where(k => !k.Required))
        {
            if (VetLvaWithout(key.ConcretePath) is not { } yaml) continue; // vet_lva leaves it at its default already
            var config = EventConfigLoader.Parse(yaml, "vet_lva.yaml");
            Assert.Equal("vet_lva", config.Event.Name);
            removed++;
        }
        Assert.True(removed > 20, $"only {removed} optional keys removed");
    }

    [Fact]
    public void Every_config_class_with_required_keys_is_reached_through_vet_lva()
    {
        var reached = ConfigKeys().Select(k => k.Owner).ToHashSet();
        var withRequired = typeof(EventConfig).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(EventConfig).Namespace && t.IsClass && !t.IsAbstract)
            .Where(t => t.GetProperties().Any(p => p.GetCustomAttribute<RequiredMemberAttribute>() is not null));

        Assert.All(withRequired, t => Assert.Contains(t, reached));
    }

    [Fact]
    public void Overrides_set_values_by_key_path_and_are_checked_like_the_file()
    {
        var path = Path.Combine(Repo.Root, "config", "events", "vet_lva.yaml");
        var config = EventConfigLoader.LoadFile(path, new Dictionary<string, string>
        {
            ["recommendation.max_recommendations"] = "7",
            ["recommendation.ranking.use_learned_model"] = "false",
            ["orchestration.embeddings.max_attempts"] = "2",
        });
        Assert.Equal(7, config.Recommendation.MaxRecommendations);
        Assert.False(config.Recommendation.Ranking.UseLearnedModel);
        Assert.Equal(2, config.Orchestration.Embeddings.MaxAttempts);

        var unknown = Assert.Throws<PipelineInputException>(() =>
            EventConfigLoader.LoadFile(path, new Dictionary<string, string> { ["recommendation.max_recomendations"] = "7" }));
        Assert.Equal("recommendation.max_recomendations", unknown.Field);
        var wrongType = Assert.Throws<PipelineInputException>(() =>
            EventConfigLoader.LoadFile(path, new Dictionary<string, string> { ["recommendation.max_recommendations"] = "many" }));
        Assert.Contains("expected an integer", wrongType.Message);
        var outOfRange = Assert.Throws<PipelineInputException>(() =>
            EventConfigLoader.LoadFile(path, new Dictionary<string, string> { ["orchestration.graph_preparation.max_attempts"] = "0" }));
        Assert.Equal("orchestration.graph_preparation.max_attempts", outOfRange.Field);
        var section = Assert.Throws<PipelineInputException>(() =>
            EventConfigLoader.LoadFile(path, new Dictionary<string, string> { ["recommendation.similarity_attributes"] = "x" }));
        Assert.Contains("only single values", section.Message);
        var malformed = Assert.Throws<PipelineInputException>(() =>
            EventConfigLoader.LoadFile(path, new Dictionary<string, string> { ["../etc"] = "x" }));
        Assert.Equal("parameters", malformed.File);
    }

    [Fact]
    public void The_schema_doc_lists_every_key_and_no_other()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "event-config.md"));
        var documented = Regex.Matches(doc,
                @"`((?:event|inputs|registration|sessions|streams|embeddings|recommendation|graph|orchestration)(?:\.[a-z_]+|\[\])*)`")
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var keys = ConfigKeys().Select(k => k.DocPath).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(keys.Except(documented).Order());
        Assert.Empty(documented.Except(keys).Order());
    }

    [Fact]
    public void The_schema_doc_shows_a_real_error_message()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "event-config.md"));
        var yaml = Edit(File.ReadAllText(Path.Combine(Repo.Root, "config", "events", "vet_lva.yaml")),
            "control_group: { enabled: true, percentage: 5, seed: 42 }", "control_group: { enabled: true, percentage: 80, seed: 42 }");

        var e = Assert.Throws<PipelineInputException>(() => EventConfigLoader.Parse(yaml, "config/events/vet_lva.yaml"));

        Assert.Contains("error: " + e.Message, doc);
    }

    /// <summary>One YAML key of the model: its path in vet_lva (list items as [0]), in the doc (list items as []), its class.</summary>
    private sealed record ConfigKey(string ConcretePath, string DocPath, bool Required, Type Owner);

    private static IEnumerable<ConfigKey> ConfigKeys(Type? type = null, string concretePrefix = "", string docPrefix = "")
    {
        type ??= typeof(EventConfig);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigIgnoreAttribute>() is not null) continue;
            var key = EventConfigLoader.ToSnakeCase(property.Name);
            var concrete = concretePrefix + key;
            var doc = docPrefix + key;
            yield return new ConfigKey(concrete, doc, property.GetCustomAttribute<RequiredMemberAttribute>() is not null, type);

            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(List<>) && IsSection(valueType.GetGenericArguments()[0]))
            {
                foreach (var child in ConfigKeys(valueType.GetGenericArguments()[0], concrete + "[0].", doc + "[]."))
                    yield return child;
            }
            else if (IsSection(valueType))
            {
                foreach (var child in ConfigKeys(valueType, concrete + ".", doc + "."))
                    yield return child;
            }
        }

        static bool IsSection(Type t) => t.IsClass && t != typeof(string) && !t.IsGenericType;
    }

    /// <summary>
    /// vet_lva.yaml with the key at the path removed (found in the YAML tree, then written back out); null when it has no such key.
    /// </summary>
    private static string? VetLvaWithout(string keyPath)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Repo.Root, "config", "events", "vet_lva.yaml"))));
        var node = stream.Documents[0].RootNode;
        var segments = Regex.Matches(keyPath, @"[^.\[\]]+|\[\d+\]").Select(m => m.Value).ToList();
        foreach (var segment in segments[..^1])
        {
            if (segment.StartsWith('['))
                node = ((YamlSequenceNode)node).Children[int.Parse(segment[1..^1])];
            else if (!((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(segment), out node!))
                return null;
        }
        if (!((YamlMappingNode)node).Children.Remove(new YamlScalarNode(segments[^1]))) return null;

        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    // ---------------------------------------------------------------- helpers

    private static EventConfig Load(string eventName) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, Repo.Root));

    private static string Edit(string yaml, string find, string replace)
    {
        var at = yaml.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && yaml.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur exactly once");
        return string.Concat(yaml.AsSpan(0, at), replace, yaml.AsSpan(at + find.Length));
    }

    private static int LastLineOf(string yaml, string text)
    {
        var lines = yaml.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
            if (lines[i].Contains(text, StringComparison.Ordinal)) return i + 1;
        throw new InvalidOperationException($"'{text}' is not in the config");
    }

    private static class Repo
    {
        /// <summary>The repository folder: the nearest ancestor of the test binaries holding config/events.</summary>
        public static string Root { get; } = Find();

        private static string Find()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "config", "events"))) return dir.FullName;
            throw new InvalidOperationException($"no config/events above {AppContext.BaseDirectory}");
        }
    }
}
