using System.CommandLine;

namespace PipelineFunctions.Local.Commands;

/// <summary>`pa generate`: placeholder until the show data generator lands.</summary>
public static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("generate", "Write a realistic input set for an event in the reference system's formats.");
        return command;
    }
}
