using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PipelineFunctions.Core;

namespace PipelineFunctions.Local.Commands;

/// <summary>The `pa` command tree. Each sub-command lives in its own class with a static Create().</summary>
internal static class PaCommandLine
{
    public const int ExitOk = 0;
    /// <summary>Bad input or config the user can fix: one message, no stack trace.</summary>
    public const int ExitInputError = 2;
    /// <summary>Anything else: a fault of ours or of the environment.</summary>
    public const int ExitInternalError = 1;
    /// <summary>Stopped by Ctrl-C or SIGTERM before the run ended (`pa run`, `pa resume`, or a second signal): resumable.</summary>
    public const int ExitInterrupted = 130;

    /// <summary>The commands that handle SIGINT and SIGTERM themselves, through <see cref="TerminationSignals"/>.</summary>
    private static readonly HashSet<string> GracefulCommands = [ServeCommand.Name, RunCommand.Name, RunCommand.ResumeName];

    public static RootCommand BuildRoot(TextWriter output, TextWriter error, PaServices services)
    {
        var root = new RootCommand("pa: run the Personal Agendas pipeline on embedded defaults.");
        root.Add(RunCommand.Create(output, error, services));
        root.Add(RunCommand.CreateResume(output, error, services));
        root.Add(RunsCommand.Create(output, error, services));
        root.Add(RunsCommand.CreateStatus(output, error, services));
        root.Add(GenerateCommand.Create(output, error, services));
        root.Add(PrepareCommand.Create(output, error, services));
        root.Add(GraphCommand.Create(output, error, services));
        root.Add(EmbedCommand.Create(output, error, services));
        root.Add(RecommendCommand.Create(output, error, services));
        root.Add(AnalyseCommand.Create(output, error, services));
        root.Add(EvaluateCommand.Create(output, error, services));
        root.Add(TrainCommand.Create(output, error, services));
        root.Add(ModelsCommand.Create(output, error, services));
        root.Add(BenchCommand.Create(output, error));
        root.Add(ServeCommand.Create(output, error, services));
        return root;
    }

    /// <summary>Runs `pa` with the settings of this process's environment variables.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>Runs `pa` with the given settings (keys named like the environment variables, e.g. PA_RUNS).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IConfiguration configuration)
    {
        try
        {
            await using var services = new ServiceCollection().AddPaHost(configuration).BuildServiceProvider();
            var parseResult = BuildRoot(output, error, services.GetRequiredService<PaServices>()).Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                // Usage errors are user errors too: the same exit code, one line each, and where to look.
                foreach (var parseError in parseResult.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
                await error.WriteLineAsync($"see '{string.Join(' ', ["pa", .. CommandPath(parseResult)])} --help'");
                return ExitInputError;
            }
            // Every setting is checked before a command runs (help needs none): a bad one is the user's to fix.
            if (parseResult.Action is not HelpAction)
            {
                try
                {
                    services.GetRequiredService<IStartupValidator>().Validate();
                }
                catch (Exception e) when (e is OptionsValidationException or AggregateException)
                {
                    // One line per bad setting (several bad settings come as an AggregateException).
                    var failures = e is AggregateException all
                        ? all.InnerExceptions.OfType<OptionsValidationException>()
                        : [(OptionsValidationException)e];
                    foreach (var failure in failures.SelectMany(f => f.Failures)) await error.WriteLineAsync($"error: {failure}");
                    return ExitInputError;
                }
            }
            if (parseResult.Action is HelpAction || !GracefulCommands.Contains(parseResult.CommandResult.Command.Name))
                return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            // No process-termination timeout: the command stops in its own time on the first signal.
            using var signals = new TerminationSignals(error);
            return await parseResult.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, signals.Token);
        }
        catch (PipelineInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitInputError;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result.Parent is CommandResult parent; result = parent) names.Insert(0, result.Command.Name);
        return names;
    }

    /// <summary>Runs a command body, turning user errors into one clear line and an exit code.</summary>
    public static async Task<int> Guard(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (PipelineInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitInputError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return ExitInternalError;
        }
        catch (Exception e)
        {
            // Not the user's input: still one line, the type and message; the stack only when asked for.
            await error.WriteLineAsync($"error: unexpected failure ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1") await error.WriteLineAsync(e.ToString());
            else await error.WriteLineAsync($"(set {DebugVariable}=1 to print the stack trace)");
            return ExitInternalError;
        }
    }

    /// <summary>Set to 1 to print stack traces of unexpected failures.</summary>
    public const string DebugVariable = "PA_DEBUG";

    /// <summary>The folder holding config/events: the nearest ancestor of the current folder, else of the program, that has one.</summary>
    public static string FindConfigRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "config", "events"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
