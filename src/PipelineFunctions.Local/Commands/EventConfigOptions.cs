using System.CommandLine;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Local.Commands;

/// <summary>--event NAME (config/events/NAME.yaml) or --config PATH, shared by every command that needs an event.</summary>
internal sealed class EventConfigOptions
{
    public Option<string?> Event { get; } = new("--event") { Description = "Event name: loads config/events/<name>.yaml" };
    public Option<string?> Config { get; } = new("--config") { Description = "Path of an event config file (instead of --event)" };

    public void AddTo(Command command)
    {
        command.Add(Event);
        command.Add(Config);
    }

    /// <param name="defaultEvent">Event used when neither option is given; null makes one of them required.</param>
    /// <param name="overrides">Config overrides KEY=VALUE applied before validation; null: none.</param>
    public EventConfig Load(ParseResult parseResult, string? defaultEvent = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var eventName = parseResult.GetValue(Event);
        var configPath = parseResult.GetValue(Config);
        if (eventName is null && configPath is null) eventName = defaultEvent;
        if (eventName is null == configPath is null)
            throw new PipelineInputException("command line", "give exactly one of --event NAME or --config PATH");
        return EventConfigLoader.LoadFile(configPath ?? EventConfigLoader.ResolveEventPath(eventName!, PaCommandLine.FindConfigRoot()), overrides);
    }
}
