using System.Globalization;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PipelineFunctions.LocalServer;

/// <summary>
/// Reads config/host.yaml. Every problem (bad YAML, unknown key, bad cron, bad event or input name) is a
/// <see cref="PipelineInputException"/> naming the file, line and key, so `pa serve` refuses to start on it.
/// </summary>
public static class HostConfigLoader
{
    public const string CatchUpKey = "catch_up";

    /// <summary>A run made up more than a year late would be of no use; the bound also keeps the search short.</summary>
    public const int MaxCatchUpDays = 366;

    public static HostConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineInputException(path, $"host config cannot be read: {e.Message}", inner: e);
        }
        return Parse(text, path);
    }

    public static HostConfig Parse(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var problem = e.InnerException?.Message ?? e.Message;
            throw new PipelineInputException(sourceName, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {problem}", inner: e);
        }
        if (stream.Documents.Count == 0) return HostConfig.Default;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new PipelineInputException(sourceName, "expected a mapping with 'schedule' and 'events'");

        var schedule = HostConfig.DefaultSchedule;
        var catchUp = HostConfig.DefaultCatchUp;
        var events = new List<ScheduledEvent>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "schedule":
                    schedule = Scalar(value, sourceName, "schedule");
                    if (WeeklySchedule.CronProblem(schedule) is { } problem)
                        throw new PipelineInputException(sourceName, $"line {value.Start.Line}: {problem}", field: "schedule");
                    break;
                case CatchUpKey:
                    var text = Scalar(value, sourceName, CatchUpKey);
                    catchUp = ParseCatchUp(text)
                        ?? throw new PipelineInputException(sourceName, $"line {value.Start.Line}: '{text}' is not a catch-up window: "
                            + $"give days, hours or minutes up to {MaxCatchUpDays}d (7d, 36h, 90m), or 0 or none to turn catch-up off",
                            field: CatchUpKey);
                    break;
                case "events":
                    if (value is not YamlSequenceNode list)
                        throw new PipelineInputException(sourceName, $"line {value.Start.Line}: expected a list of {{ event, input }}",
                            field: "events");
                    events.AddRange(list.Children.Select((item, i) => Event(item, sourceName, $"events[{i}]")));
                    break;
                default:
                    throw new PipelineInputException(sourceName, $"line {keyNode.Start.Line}: unknown key (expected schedule, {CatchUpKey}, events)",
                        field: key);
            }
        }
        var twice = events.GroupBy(e => e.Event, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new PipelineInputException(sourceName, $"event '{twice.Key}' is listed twice: a week has one run per event", field: "events");
        return new HostConfig(schedule, events) { CatchUp = catchUp };
    }

    /// <summary>
    /// A catch-up window: a whole number of days, hours or minutes (7d, 36h, 90m), at most a year; 0, none or off for
    /// none. Null when the text is none of these.
    /// </summary>
    public static TimeSpan? ParseCatchUp(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed is "0" or "none" or "off") return TimeSpan.Zero;
        if (trimmed.Length < 2
            || !int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxCatchUpDays * 24 * 60)
            return null;
        TimeSpan? window = trimmed[^1] switch
        {
            'd' => TimeSpan.FromDays(amount),
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => null,
        };
        return window <= TimeSpan.FromDays(MaxCatchUpDays) ? window : null;
    }

    private static ScheduledEvent Event(YamlNode node, string sourceName, string where)
    {
        if (node is not YamlMappingNode mapping)
            throw new PipelineInputException(sourceName, $"line {node.Start.Line}: expected {{ event: <name>, input: <folder> }}", field: where);
        string? eventName = null, input = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            if (key == "event") eventName = Scalar(value, sourceName, $"{where}.event");
            else if (key == "input") input = Scalar(value, sourceName, $"{where}.input");
            else
                throw new PipelineInputException(sourceName, $"line {keyNode.Start.Line}: unknown key (expected event, input)",
                    field: $"{where}.{key}");
        }
        if (eventName is null || !eventName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || eventName.Length == 0)
            throw new PipelineInputException(sourceName, $"line {node.Start.Line}: 'event' is required: letters, digits, '_' and '-'",
                field: $"{where}.event");
        // Default: the folder named like the event.
        input ??= eventName;
        if (InputNames.Problem(input) is { } problem)
            throw new PipelineInputException(sourceName, $"line {node.Start.Line}: '{input}' {problem}", field: $"{where}.input");
        return new ScheduledEvent(eventName, input);
    }

    private static string Scalar(YamlNode node, string sourceName, string field) =>
        node is YamlScalarNode { Value: { } value } ? value
            : throw new PipelineInputException(sourceName, $"line {node.Start.Line}: expected a single value", field: field);
}
