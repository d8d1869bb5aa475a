using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Functions;

namespace PipelineFunctions.AzureHost.Tests.Support;

/// <summary>
/// Registers the app's own orchestrator and activity functions (its [Function] methods, found in its assembly) with a
/// Durable Task worker under their function names, as the Functions host does: activity classes are created from the
/// worker's services, the trigger input is bound to the [ActivityTrigger] parameter, and every invocation is counted.
/// </summary>
public sealed class AppFunctions
{
    private static readonly MethodInfo AddActivityMethod = typeof(AppFunctions).GetMethod(nameof(AddActivity),
        BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo AddOrchestratorMethod = typeof(AppFunctions).GetMethod(nameof(AddOrchestrator),
        BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<IServiceProvider> _services;

    public AppFunctions(Func<IServiceProvider> services) => _services = services;

    /// <summary>Invocations per activity name (retries and replays of the orchestration do not re-run an activity).</summary>
    public ConcurrentDictionary<string, int> Invocations { get; } = new(StringComparer.Ordinal);

    public List<string> Activities { get; } = [];

    public List<string> Orchestrators { get; } = [];

    /// <summary>Every [Function] method of the app with a Durable trigger: (function name, method, trigger attribute).</summary>
    public static IEnumerable<(string Name, MethodInfo Method, Attribute Trigger)> DurableFunctions() =>
        from type in typeof(PipelineActivityFunctions).Assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        let trigger = method.GetParameters().SelectMany(p => p.GetCustomAttributes())
            .FirstOrDefault(a => a is ActivityTriggerAttribute or OrchestrationTriggerAttribute)
        where trigger is not null
        select (function.Name, method, trigger);

    public void Register(DurableTaskRegistry registry)
    {
        foreach (var (name, method, trigger) in DurableFunctions())
        {
            var output = method.ReturnType.GetGenericArguments().Single();
            if (trigger is OrchestrationTriggerAttribute)
            {
                // Core's orchestration takes a PipelineRunInput; registering the input type lets GetInput<T> bind it.
                AddOrchestratorMethod.MakeGenericMethod(typeof(PipelineRunInput), output).Invoke(null, [registry, name, method]);
                Orchestrators.Add(name);
            }
            else
            {
                var input = method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null).ParameterType;
                AddActivityMethod.MakeGenericMethod(input, output).Invoke(this, [registry, name, method]);
                Activities.Add(name);
            }
        }
    }

    private static void AddOrchestrator<TInput, TOutput>(DurableTaskRegistry registry, string name, MethodInfo method) =>
        registry.AddOrchestratorFunc<TInput, TOutput>(name, (context, _) =>
            (Task<TOutput>)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [context], null)!);

    private void AddActivity<TInput, TOutput>(DurableTaskRegistry registry, string name, MethodInfo method) =>
        registry.AddActivityFunc<TInput, TOutput>(name, (_, input) =>
        {
            Invocations.AddOrUpdate(name, 1, (_, count) => count + 1);
            var instance = ActivatorUtilities.GetServiceOrCreateInstance(_services(), method.DeclaringType!);
            var arguments = method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                    : p.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? (object?)input
                    : throw new NotSupportedException($"{name}: cannot bind parameter {p.Name} of type {p.ParameterType}"))
                .ToArray();
            return (Task<TOutput>)method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
        });
}
