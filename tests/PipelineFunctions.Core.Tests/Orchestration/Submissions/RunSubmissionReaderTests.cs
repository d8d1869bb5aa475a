using System.Text;
using System.Text.Json;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Core.Tests.Orchestration.Submissions;

/// <summary>A request body is one JSON object of the known fields, each of its type; anything else is refused naming the field.</summary>
public sealed class RunSubmissionReaderTests
{
    [Fact]
    public async Task Every_field_is_read()
    {
        var submission = await Read("""
            {"input": "vet_lva/2026", "incremental": true, "steps": ["recommendations"], "graphEnvironment": "test", "force": true,
             "parameters": {"recommendation.max_recommendations": 8, "a.b": "x", "c.d": false}, "retrain": true, "instanceId": "my-run.1"}
            """);

        Assert.Equal("vet_lva/2026", submission.Input);
        Assert.True(submission.Incremental);
        Assert.Equal(["recommendations"], submission.Steps);
        Assert.Equal("test", submission.GraphEnvironment);
        Assert.True(submission.Force);
        Assert.True(submission.Retrain);
        Assert.Equal("my-run.1", submission.InstanceId);
        Assert.Equal(JsonValueKind.Number, submission.Parameters!["recommendation.max_recommendations"].ValueKind);
        Assert.Equal(JsonValueKind.False, submission.Parameters["c.d"].ValueKind);
    }

    [Fact]
    public async Task Only_the_input_is_needed_and_the_rest_defaults()
    {
        Assert.Equal(new RunSubmission("vet_lva"), await Read("""{"input": "vet_lva"}"""));
        Assert.Equal(new RunSubmission(null), await Read("{}"));
        Assert.Equal(new RunSubmission("x", Steps: null, Parameters: null), await Read("""{"input": "x", "steps": null, "parameters": null}"""));
    }

    [Fact]
    public void The_fields_are_the_records_in_camel_case() =>
        Assert.Equal(["input", "incremental", "steps", "graphEnvironment", "force", "parameters", "retrain", "analyse", "instanceId"],
            RunSubmissionReader.Fields);

    [Theory]
    [InlineData("", "body", "not valid JSON")]
    [InlineData("""{"input": """, "body", "not valid JSON")]
    [InlineData("input=vet_lva", "body", "not valid JSON")]
    [InlineData("""{"input": "x"} {}""", "body", "not valid JSON")]
    [InlineData("""["vet_lva"]""", "body", "a JSON object is required")]
    [InlineData("\"vet_lva\"", "body", "a JSON object is required")]
    [InlineData("null", "body", "a JSON object is required")]
    [InlineData("""{"input": "vet_lva", "retrian": true}""", "retrian",
        "unknown field (fields: input, incremental, steps, graphEnvironment, force, parameters, retrain, analyse, instanceId)")]
    [InlineData("""{"input": "a", "input": "b"}""", "input", "appears more than once")]
    [InlineData("""{"input": "a", "Input": "b"}""", "input", "appears more than once")]
    [InlineData("""{"input": 1}""", "input", "wrong JSON type")]
    [InlineData("""{"input": "x", "incremental": "yes"}""", "incremental", "wrong JSON type")]
    [InlineData("""{"input": "x", "force": "yes"}""", "force", "wrong JSON type")]
    [InlineData("""{"input": "x", "Force": 1}""", "force", "wrong JSON type")]
    [InlineData("""{"input": "x", "retrain": null}""", "retrain", "wrong JSON type")]
    [InlineData("""{"input": "x", "steps": "embeddings"}""", "steps", "wrong JSON type")]
    [InlineData("""{"input": "x", "steps": [1]}""", "steps", "wrong JSON type")]
    [InlineData("""{"input": "x", "graphEnvironment": ["dev"]}""", "graphEnvironment", "wrong JSON type")]
    [InlineData("""{"input": "x", "parameters": ["a"]}""", "parameters", "wrong JSON type")]
    [InlineData("""{"input": "x", "instanceId": 7}""", "instanceId", "wrong JSON type")]
    public async Task A_malformed_body_is_refused_naming_the_field(string body, string field, string problem)
    {
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => Read(body));
        Assert.Equal("request", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Problem);
    }

    [Fact]
    public async Task Nesting_is_refused_beyond_depth_8()
    {
        // The object is level 1 and parameters level 2: levels 3 to 8 fit, 9 does not.
        static string Nested(int levels) =>
            """{"input": "x", "parameters": {"a": """ + new string('[', levels - 2) + new string(']', levels - 2) + "}}";

        var deep = await Assert.ThrowsAsync<PipelineInputException>(() => Read(Nested(9)));
        Assert.Equal("body", deep.Field);
        Assert.Contains("depth", deep.Problem);
        Assert.NotNull((await Read(Nested(8))).Parameters);
    }

    private static Task<RunSubmission> Read(string body) => RunSubmissionReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)));
}
