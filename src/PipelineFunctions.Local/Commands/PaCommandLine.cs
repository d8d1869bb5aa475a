using System.CommandLine;
using System.CommandLine.Parsing;
using PipelineFunctions.Core;

namespace PipelineFunctions.Local.Commands;

/// <summary>The `pa` command tree. Each sub-command lives in its own class with a static Create().</summary>
public static class PaCommandLine
{
    public const int ExitOk = 0;
    /// <summary>Bad input or config the user can fix: one message, no stack trace.</summary>
    public const int ExitInputError = 2;
    /// <summary>Anything else: a fault of ours or of the environment.</summary>
    public const int ExitInternalError = 1;

    public static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("pa: run the Personal Agendas pipeline on embedded defaults.");
        root.Add(RunCommand.Create(output, error));
        root.Add(RunCommand.CreateResume(output, error));
        root.Add(RunsCommand.Create(output, error));
        root.Add(RunsCommand.CreateStatus(output, error));
        root.Add(GenerateCommand.Create(output, error));
        root.Add(PrepareCommand.Create(output, error));
        root.Add(GraphCommand.Create(output, error));
        root.Add(EmbedCommand.Create(output, error));
        root.Add(RecommendCommand.Create(output, error));
        root.Add(EvaluateCommand.Create(output, error));
        root.Add(TrainCommand.Create(output, error));
        root.Add(ModelsCommand.Create(output, error));
        root.Add(BenchCommand.Create(output, error));
        root.Add(ServeCommand.Create(output, error));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var parseResult = BuildRoot(output, error).Parse(args);
            if (parseResult.Errors.Count > 0)
            {
                // Usage errors are user errors too: the same exit code, one line each, and where to look.
                foreach (var parseError in parseResult.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
                await error.WriteLineAsync($"see '{string.Join(' ', ["pa", .. CommandPath(parseResult)])} --help'");
                return ExitInputError;
            }
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
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
