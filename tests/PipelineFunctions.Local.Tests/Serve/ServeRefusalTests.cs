using System.Net;
using System.Text.Json;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>
/// What the API refuses: requests without the right key (401), invalid run requests (400 problem naming the field,
/// with nothing created), unknown instances (404). None of these starts a run.
/// </summary>
public sealed class ServeRefusalTests(ServeServerFixture fixture) : IClassFixture<ServeServerFixture>
{
    private ServeServer Server => fixture.Server;

    public static TheoryData<string, string, string> InvalidRequests => new()
    {
        { "vet_lva", """{"input": "../x"}""", "input" },
        { "vet_lva", """{"input": "/etc"}""", "input" },
        { "vet_lva", """{"input": "%2e%2e%2fx"}""", "input" },
        { "vet_lva", """{"input": "vet_lva%2f..%2f..%2fx"}""", "input" },
        { "vet_lva", """{"input": "a\\b"}""", "input" },
        { "vet_lva", """{"input": "vet_lva/../../x"}""", "input" },
        { "vet_lva", """{"input": "vet_lva\u0000"}""", "input" },
        { "vet_lva", """{"input": "file:///etc"}""", "input" },
        { "vet_lva", """{"input": "vet_lva;x"}""", "input" },
        { "vet_lva", """{"input": "~"}""", "input" },
        { "vet_lva", """{"input": "no_such_folder"}""", "input" },
        { "vet_lva", """{"incremental": true}""", "input" },
        { "no_such_event", """{"input": "vet_lva"}""", "event" },
        { "VET_LVA", """{"input": "vet_lva"}""", "event" },
        { "vet_lva", """{"input": "vet_lva", "steps": ["data_preparation", "nope"]}""", "steps" },
        { "vet_lva", """{"input": "vet_lva", "graphEnvironment": "staging"}""", "graphEnvironment" },
        { "vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.no_such_key": "1"}}""", "parameters" },
        { "vet_lva", """{"input": "vet_lva", "parameters": {"Not A Key": "1"}}""", "parameters" },
        { "vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.max_recommendations": "many"}}""", "parameters" },
        { "vet_lva", """{"input": "vet_lva", "parameters": {"recommendation.max_recommendations": [1]}}""", "parameters" },
        { "vet_lva", """{"input": "vet_lva", "instanceId": "../x"}""", "instanceId" },
        { "vet_lva", """{"input": "vet_lva", "instanceId": "-run"}""", "instanceId" },
        { "vet_lva", """{"input": "vet_lva", "retrian": true}""", "retrian" },
        { "vet_lva", """{"input": "vet_lva", "force": "yes"}""", "force" },
        { "vet_lva", """{"input": "vet_lva", "Input": "vet_lva"}""", "input" },
        { "vet_lva", """{"input": "vet_lva", "parameters": {"a": [[[[[[[1]]]]]]]}}""", "body" },
        { "vet_lva", """["vet_lva"]""", "body" },
        { "vet_lva", """{"input": """, "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task An_invalid_run_request_is_a_400_problem_naming_the_field_and_creates_nothing(string eventName, string body, string field)
    {
        var before = await Server.InstancesAsync();

        using var response = await Server.SubmitRawAsync(eventName, body);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {problem}");
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrWhiteSpace(m.GetString()));
        // Nothing may leak the server's own folders into the answer.
        Assert.DoesNotContain(Server.InputsRoot, problem.ToString());
        Assert.Equal(before.Count, (await Server.InstancesAsync()).Count);
        Assert.False(Directory.Exists(Path.Combine(Server.StorePath, "runs")), "a refused request wrote run artifacts");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(ServeServer.Key + "x")]
    [InlineData("")]
    public async Task Mutating_requests_without_the_right_key_are_401_problems(string? key)
    {
        var before = await Server.InstancesAsync();

        using var post = await Server.SubmitAsync("vet_lva", new { input = "vet_lva" }, key);
        using var delete = await Server.Client.SendAsync(Server.WithKey(HttpMethod.Delete, "/runtime/webhooks/durabletask/instances/any", key));
        using var terminate = await Server.Client.SendAsync(
            Server.WithKey(HttpMethod.Post, "/runtime/webhooks/durabletask/instances/any/terminate?reason=x", key));

        foreach (var response in new[] { post, delete, terminate })
            Assert.Contains(ApiKeyHeader(), (await ProblemAsync(response, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        Assert.Equal(before.Count, (await Server.InstancesAsync()).Count);
    }

    [Fact]
    public async Task An_unknown_instance_is_404_on_every_route()
    {
        const string instances = "/runtime/webhooks/durabletask/instances/no-such-instance";
        var requests = new[]
        {
            new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUri, instances)),
            new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUri, "/api/pipelines/runs/no-such-instance")),
            Server.WithKey(HttpMethod.Post, instances + "/terminate?reason=x"),
            Server.WithKey(HttpMethod.Post, instances + "/raiseEvent/anything"),
            Server.WithKey(HttpMethod.Delete, instances),
        };
        foreach (var request in requests)
        {
            using var response = await Server.Client.SendAsync(request);
            await ProblemAsync(response, HttpStatusCode.NotFound);
        }
    }

    [Theory]
    [InlineData("runtimeStatus=Sleeping", "runtimeStatus")]
    [InlineData("top=0", "top")]
    [InlineData("top=many", "top")]
    [InlineData("createdTimeFrom=yesterday", "createdTimeFrom")]
    public async Task A_bad_list_query_is_a_400_problem_naming_the_parameter(string query, string field)
    {
        using var response = await Server.Client.GetAsync(new Uri(Server.BaseUri, "/runtime/webhooks/durabletask/instances?" + query));
        Assert.True((await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused_on_loopback()
    {
        // What a DNS-rebinding page would send: the right address, its own host name.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUri, "/runtime/webhooks/durabletask/instances"));
        request.Headers.Host = "rebound.example";
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_served_with_a_policy_that_forbids_inline_script()
    {
        using var page = await Server.Client.GetAsync(Server.BaseUri);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/dashboard.js\" defer></script>", html);
        foreach (var asset in new[] { "/dashboard.js", "/dashboard.css" })
        {
            using var response = await Server.Client.GetAsync(new Uri(Server.BaseUri, asset));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        // The page's script writes run data as text only.
        Assert.DoesNotContain("innerHTML", await Server.Client.GetStringAsync(new Uri(Server.BaseUri, "/dashboard.js")));
    }

    private static string ApiKeyHeader() => LocalServer.ApiKey.HeaderName;

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
