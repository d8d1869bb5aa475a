using PipelineFunctions.Core.Events;

namespace PipelineFunctions.LocalServer;

/// <summary>The events the server knows: one per config/events/&lt;name&gt;.yaml under the config root, read on every call
/// so a config added while the server runs is picked up.</summary>
public sealed class EventCatalog(string configRoot)
{
    public string ConfigRoot { get; } = configRoot;

    public IReadOnlyList<string> Names()
    {
        var folder = Path.Combine(ConfigRoot, EventConfigLoader.EventsFolder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Exact (ordinal) match, so a name differing only in case or carrying path characters never maps to a file.</summary>
    public bool Contains(string name) => Names().Contains(name, StringComparer.Ordinal);
}
