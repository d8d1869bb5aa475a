using System.Globalization;
using PipelineFunctions.Core.Events;
using PipelineFunctions.ShowGenerator.Tests.Support;

namespace PipelineFunctions.ShowGenerator.Tests;

/// <summary>
/// vet_lva (old format), vet_bva and ecomm (snake format) generated once for all generation tests, 600 visitors, seed 42.
/// </summary>
public sealed class GeneratedInputSets : IDisposable
{
    public const int Visitors = 600;
    public const int Seed = 42;
    private readonly string _root =
        Path.Combine(Path.GetTempPath(), "pa-generate-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    private readonly Dictionary<string, GeneratedInputSet> _sets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal GeneratedInputSet Get(string eventName)
    {
        lock (_lock)
        {
            if (_sets.TryGetValue(eventName, out var set)) return set;
            var config = LoadConfig(eventName);
            var data = ShowDataGenerator.Build(config, new GenerationOptions(Visitors, Seed));
            var folder = Path.Combine(_root, eventName);
            var summary = ShowDataGenerator.Write(data, folder);
            set = new GeneratedInputSet { Config = config, Data = data, Summary = summary, Folder = folder };
            _sets[eventName] = set;
            return set;
        }
    }

    internal static EventConfig LoadConfig(string eventName) =>
        EventConfigLoader.LoadFile(EventConfigLoader.ResolveEventPath(eventName, RepositoryPaths.Root));

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
