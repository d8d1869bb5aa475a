using System.Text.Json;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;
using PipelineFunctions.Core.Tests.Support;

namespace PipelineFunctions.Core.Tests.Orchestration.Submissions;

/// <summary>
/// A submission becomes a request only when the input, instance id, steps, environment and parameters pass, against the event's config.
/// </summary>
public sealed class RunSubmissionValidationTests
{
    [Fact]
    public void A_valid_submission_becomes_the_request_with_its_parameters_as_override_text()
    {
        var submission = new RunSubmission("vet_lva/2026", Incremental: true, Steps: ["recommendations"], GraphEnvironment: "test", Force: true,
            Parameters: Json("""{"recommendation.max_recommendations": 8, "recommendation.min_similarity_score": 0.10,""" +
                """ "recommendation.resolve_overlapping_sessions": false}"""),
            Retrain: true, InstanceId: "my-run.1");

        var request = RunSubmissionValidation.ToRequest("vet_lva", submission, LoadConfig);

        Assert.Equal(new PipelineRunRequest("vet_lva", "vet_lva/2026", true, request.Steps, "test", true, request.Parameters, true), request);
        Assert.Equal(["recommendations"], request.Steps);
        Assert.Equal(new Dictionary<string, string>
        {
            ["recommendation.max_recommendations"] = "8",
            ["recommendation.min_similarity_score"] = "0.10",
            ["recommendation.resolve_overlapping_sessions"] = "false",
        }, request.Parameters);
    }

    [Fact]
    public void Parameters_flatten_strings_as_they_are_numbers_as_their_json_text_and_booleans_in_lower_case()
    {
        var flat = RunSubmissionValidation.Parameters(Json("""{"s": "a b", "n": 1.50, "e": 1e3, "i": -2, "t": true, "f": false, "q": "true"}"""));
        Assert.Equal(new Dictionary<string, string>
        {
            ["s"] = "a b", ["n"] = "1.50", ["e"] = "1e3", ["i"] = "-2", ["t"] = "true", ["f"] = "false", ["q"] = "true"
        }, flat);
        Assert.Null(RunSubmissionValidation.Parameters(null));
        Assert.Null(RunSubmissionValidation.Parameters(Json("{}")));
    }

    [Theory]
    [InlineData("""{"k": null}""", "null")]
    [InlineData("""{"k": [1]}""", "array")]
    [InlineData("""{"k": {"x": 1}}""", "object")]
    public void A_parameter_that_is_not_a_single_value_is_refused_on_field_parameters(string parameters, string kind)
    {
        var error = Assert.Throws<PipelineInputException>(() => RunSubmissionValidation.Parameters(Json(parameters)));
        Assert.Equal("parameters", error.Field);
        Assert.Equal($"'k' must be a string, number or boolean, not {kind}", error.Problem);
    }

    [Theory]
    [InlineData("vet_lva", """{"input": "../secrets"}""", "input")]
    [InlineData("vet_lva", """{"input": "https://elsewhere.example/x"}""", "input")]
    [InlineData("vet_lva", """{"input": "x;Container=other"}""", "input")]
    [InlineData("vet_lva", """{}""", "input")]
    [InlineData("vet_lva", """{"input": "vet_lva", "instanceId": "../x"}""", "instanceId")]
    [InlineData("vet_lva", """{"input": "vet_lva", "instanceId": "-run"}""", "instanceId")]
    [InlineData("vet_lva", """{"input": "vet_lva", "steps": ["everything"]}""", "steps")]
    [InlineData("vet_lva", """{"input": "vet_lva", "graphEnvironment": "staging"}""", "graphEnvironment")]
    [InlineData("no such event!", """{"input": "x"}""", "event")]
    [InlineData("no_such_event", """{"input": "x"}""", "event")]
    [InlineData("no_such_event", """{"input": "x", "parameters": {"recommendation.max_recommendations": 8}}""", "event")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.no_such_key": "1"}}""", "parameters")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"no.such.key": 1}}""", "parameters")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"Not A Key": "1"}}""", "parameters")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"recommendation": "1"}}""", "parameters")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.max_recommendations": "many"}}""", "parameters")]
    [InlineData("vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.max_recommendations": [1]}}""", "parameters")]
    public async Task A_bad_submission_is_refused_naming_the_field(string eventName, string body, string field)
    {
        var submission = await RunSubmissionReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        var error = Assert.Throws<PipelineInputException>(() => RunSubmissionValidation.ToRequest(eventName, submission, LoadConfig));
        Assert.Equal("request", error.File);
        Assert.Equal(field, error.Field);
        Assert.DoesNotContain(RepositoryPaths.Root, error.Message);
    }

    [Fact]
    public void A_config_refusal_of_an_override_names_the_key_path_and_the_problem_but_no_path()
    {
        var error = Assert.Throws<PipelineInputException>(() => RunSubmissionValidation.ToRequest("vet_lva",
            new RunSubmission("vet_lva", Parameters: Json("""{"recommendation.min_similarity_score": 2}""")), LoadConfig));

        Assert.Equal("parameters", error.Field);
        Assert.StartsWith("'recommendation.min_similarity_score': must be between 0 and 1", error.Problem);
        Assert.DoesNotContain("/", error.Message);
    }

    [Fact]
    public void A_broken_config_is_the_events_fault_with_or_without_overrides_and_its_location_is_left_out()
    {
        const string file = "/srv/app/config/events/broken.yaml";
        EventConfig Broken(string eventName, IReadOnlyDictionary<string, string>? overrides) =>
            throw new PipelineInputException(file,
                $"event config file cannot be read: Access to the path '{file}' is denied. (in /srv/app/config/events/)", field: "event.name");

        foreach (var parameters in new[] { null, Json("""{"recommendation.max_recommendations": 8}""") })
        {
            var error = Assert.Throws<PipelineInputException>(() =>
                RunSubmissionValidation.ToRequest("broken", new RunSubmission("x", Parameters: parameters), Broken));
            Assert.Equal("event", error.Field);
            Assert.Equal("'event.name': event config file cannot be read: Access to the path 'broken.yaml' is denied. (in )", error.Problem);
        }
    }

    [Theory]
    [InlineData("/srv/app/config/events/x.yaml", "cannot read /srv/app/config/events/x.yaml", "cannot read x.yaml")]
    [InlineData("https://acct.blob.core.windows.net/config/x.yaml?sv=1&sig=a/b",
        "no blob https://acct.blob.core.windows.net/config/x.yaml?sv=1&sig=a/b", "no blob x.yaml")]
    [InlineData("https://acct.blob.core.windows.net/config/x.yaml?sig=s",
        "at https://acct.blob.core.windows.net/config/x.yaml: gone", "at x.yaml: gone")]
    [InlineData("C:\\app\\config\\x.yaml", "in C:\\app\\config\\x.yaml", "in x.yaml")]
    [InlineData("parameters", "not a key path", "not a key path")]
    [InlineData("x.yaml", "bad x.yaml", "bad x.yaml")]
    public void The_location_of_the_config_file_is_cut_from_a_problem(string file, string problem, string expected) =>
        Assert.Equal(expected, RunSubmissionValidation.WithoutLocation(problem, file));

    [Fact]
    public void The_weekly_request_passes_the_same_checks()
    {
        var weekly = WeeklyRun.Request("vet_lva", "vet_lva");
        Assert.Same(weekly, RunSubmissionValidation.Validate(weekly, LoadConfig));
        Assert.True(weekly.Incremental);
        Assert.True(weekly.Retrain);

        Assert.Equal("input", Assert.Throws<PipelineInputException>(() =>
            RunSubmissionValidation.Validate(WeeklyRun.Request("vet_lva", "../x"), LoadConfig)).Field);
        Assert.Equal("event", Assert.Throws<PipelineInputException>(() =>
            RunSubmissionValidation.Validate(WeeklyRun.Request("no_such_event", "x"), LoadConfig)).Field);
    }

    private static IReadOnlyDictionary<string, JsonElement> Json(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static EventConfig LoadConfig(string eventName, IReadOnlyDictionary<string, string>? overrides) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, RepositoryPaths.Root), overrides);
}
