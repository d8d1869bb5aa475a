using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PipelineFunctions.Core.Orchestration;
using static PipelineFunctions.AzureHost.Tests.AzureHostSource;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>
/// The Azure host cannot be compiled here (its packages need nuget.org), so its source is checked with Roslyn: it
/// parses, and its functions are wired to Core's orchestration and activity names.
/// </summary>
public sealed class FunctionsSourceTests
{
    [Fact]
    public void Every_source_file_parses_without_syntax_errors()
    {
        Assert.NotEmpty(Trees);
        Assert.Contains(Trees, t => Path.GetFileName(t.FilePath) == "Program.cs");
        var errors = Trees
            .SelectMany(t => t.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{Path.GetRelativePath(RepositoryRoot, d.Location.SourceTree!.FilePath)}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.Id} {d.GetMessage()}")
            .ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Every_activity_the_orchestration_can_call_has_exactly_one_activity_function()
    {
        var activityFunctions = Functions.Where(f => HasParameterAttribute(f.Method, "ActivityTrigger")).ToList();
        Assert.All(activityFunctions, f => Assert.True(f.Name is not null, $"{f.Method.Identifier.Text}: its [Function] name does not resolve to a constant"));

        foreach (var name in PipelineActivityNames.All)
            Assert.True(activityFunctions.Count(f => f.Name == name) == 1,
                $"activity '{name}' has {activityFunctions.Count(f => f.Name == name)} functions with an [ActivityTrigger]; expected exactly one");
        Assert.Empty(activityFunctions.Select(f => f.Name).Except(PipelineActivityNames.All));
    }

    [Fact]
    public void Each_activity_function_calls_its_Core_activity_with_the_input_type_Core_expects()
    {
        foreach (var (method, name) in Functions.Where(f => HasParameterAttribute(f.Method, "ActivityTrigger")))
        {
            var core = typeof(PipelineActivities).GetMethod(name + "Async")!;
            var input = ParameterWith(method, "ActivityTrigger")!;
            Assert.Equal(core.GetParameters()[0].ParameterType.Name, input.Type!.ToString().Split('.')[^1]);
            var calls = method.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Select(m => m.Name.Identifier.Text);
            Assert.Contains(core.Name, calls);
            var returned = ((GenericNameSyntax)method.ReturnType).TypeArgumentList.Arguments.Single().ToString().Split('.')[^1];
            Assert.Equal(core.ReturnType.GetGenericArguments().Single().Name, returned);
        }
    }

    [Fact]
    public void The_orchestrator_function_runs_Core_orchestration_under_its_name()
    {
        var orchestrators = Functions.Where(f => HasParameterAttribute(f.Method, "OrchestrationTrigger")).ToList();
        var (method, name) = Assert.Single(orchestrators);
        Assert.Equal(PipelineOrchestration.Name, name);
        Assert.Equal("TaskOrchestrationContext", ParameterWith(method, "OrchestrationTrigger")!.Type!.ToString());
        Assert.Contains(method.DescendantNodes().OfType<InvocationExpressionSyntax>(),
            i => i.Expression.ToString() == $"{nameof(PipelineOrchestration)}.{nameof(PipelineOrchestration.RunAsync)}");
    }

    [Fact]
    public void The_context_adapter_implements_Core_port_and_maps_task_failures()
    {
        var adapter = Trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .Single(c => c.BaseList?.Types.Any(b => b.Type.ToString() == nameof(IPipelineOrchestrationContext)) == true);
        var members = adapter.Members.Select(m => m switch
        {
            MethodDeclarationSyntax method => method.Identifier.Text,
            PropertyDeclarationSyntax property => property.Identifier.Text,
            _ => "",
        }).ToHashSet();
        foreach (var member in typeof(IPipelineOrchestrationContext).GetMembers().Where(m => m is System.Reflection.PropertyInfo or System.Reflection.MethodInfo { IsSpecialName: false }))
            Assert.Contains(member.Name, members);
        var catches = adapter.DescendantNodes().OfType<CatchClauseSyntax>().Select(c => c.Declaration?.Type.ToString()).ToList();
        Assert.Contains("TaskFailedException", catches);
        Assert.Contains(adapter.DescendantNodes().OfType<ObjectCreationExpressionSyntax>(), o => o.Type.ToString() == nameof(ActivityFailedException));
    }

    [Fact]
    public void The_HTTP_starter_and_the_weekly_timer_schedule_the_orchestration_by_its_name()
    {
        var schedules = Trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            .Where(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "ScheduleNewOrchestrationInstanceAsync" })
            .ToList();
        Assert.True(schedules.Count >= 2, "expected the HTTP starter and the weekly timer to schedule orchestrations");
        Assert.All(schedules, s => Assert.Equal(PipelineOrchestration.Name, Resolve(s.ArgumentList.Arguments[0].Expression)));

        var scheduling = schedules.Select(s => s.Ancestors().OfType<MethodDeclarationSyntax>().First()).ToList();
        var http = Assert.Single(scheduling, m => HasParameterAttribute(m, "HttpTrigger"));
        var timer = Assert.Single(scheduling, m => HasParameterAttribute(m, "TimerTrigger"));

        var route = ParameterAttribute(http, "HttpTrigger")!.ArgumentList!.Arguments.Single(a => a.NameEquals?.Name.Identifier.Text == "Route");
        Assert.Equal("pipelines/{eventName}/runs", Resolve(route.Expression));
        Assert.Contains(ParameterAttribute(http, "HttpTrigger")!.ArgumentList!.Arguments, a => Resolve(a.Expression) == "post");
        Assert.Contains(http.DescendantNodes().OfType<InvocationExpressionSyntax>(), i => i.Expression.ToString().EndsWith(".Validate", StringComparison.Ordinal)
            || i.Expression.ToString() == "RunSubmissions.ReadAsync");
        Assert.Contains(http.DescendantNodes().OfType<MemberAccessExpressionSyntax>(), m => m.Name.Identifier.Text == "CreateCheckStatusResponseAsync");

        Assert.Equal("%WEEKLY_RETRAIN_SCHEDULE%", Resolve(ParameterAttribute(timer, "TimerTrigger")!.ArgumentList!.Arguments[0].Expression));
        Assert.Contains(timer.DescendantNodes().OfType<MemberAccessExpressionSyntax>(), m => m.Name.Identifier.Text == "GetInstanceAsync");
        Assert.Contains(timer.DescendantNodes().OfType<InvocationExpressionSyntax>(), i => i.Expression.ToString() == "WeeklyRuns.InstanceId");
    }

    [Fact]
    public void The_run_summary_route_reads_the_instance_with_its_output()
    {
        var get = Functions.Single(f => ParameterAttribute(f.Method, "HttpTrigger")?.ArgumentList?.Arguments
            .Any(a => a.NameEquals?.Name.Identifier.Text == "Route" && Resolve(a.Expression) == "pipelines/runs/{id}") == true).Method;
        var read = get.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Single(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "GetInstanceAsync" });
        Assert.Contains(read.ArgumentList.Arguments, a => a.NameColon?.Name.Identifier.Text == "getInputsAndOutputs" && a.Expression.ToString() == "true");
    }
}
