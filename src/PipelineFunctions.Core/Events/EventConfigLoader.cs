using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PipelineFunctions.Core.Events;

/// <summary>
/// Loads an event config and validates it against <see cref="EventConfig"/>: unknown keys, missing
/// required keys and wrong types are rejected with a <see cref="PipelineInputException"/> naming the file,
/// the key path (e.g. recommendation.control_group.percentage) and the line.
/// YamlDotNet parses; binding is done here, walking the node tree, because that is where the key path is known.
/// </summary>
public static class EventConfigLoader
{
    public const string EventsFolder = "config/events";

    /// <summary>config/events/&lt;name&gt;.yaml under the given root (the repository or install folder).</summary>
    public static string ResolveEventPath(string eventName, string configRoot)
    {
        if (string.IsNullOrWhiteSpace(eventName) || eventName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new PipelineInputException("--event", $"'{eventName}' is not an event name (letters, digits, '_' and '-' only)");
        return Path.Combine(configRoot, EventsFolder, eventName + ".yaml");
    }

    /// <param name="overrides">Values by key path (recommendation.max_recommendations) set over the file's before binding,
    /// so they are checked exactly like the file: unknown keys, wrong types and out-of-range values are refused.</param>
    public static EventConfig LoadFile(string path, IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (!File.Exists(path))
            throw new PipelineInputException(path, "event config file not found");
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineInputException(path, $"event config file cannot be read: {e.Message}", inner: e);
        }
        return Parse(text, path, overrides);
    }

    public static EventConfig Parse(string yaml, string sourceName, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var root = LoadRoot(yaml, sourceName);
        foreach (var (keyPath, value) in overrides ?? new Dictionary<string, string>()) Override(root, keyPath, value);
        var binder = new Binder(sourceName);
        var config = (EventConfig)binder.Bind(root, typeof(EventConfig), "")!;
        config.SourcePath = sourceName;
        EventConfigRules.Check(config, sourceName, binder.LineOf);
        return config;
    }

    /// <summary>Sets one scalar at a key path, creating the mappings on the way; the binder then checks it like any value.</summary>
    private static void Override(YamlMappingNode root, string keyPath, string value)
    {
        var keys = keyPath.Split('.');
        if (keys.Any(k => k.Length == 0 || !k.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            throw new PipelineInputException("parameters",
                "is not a config key path (lower-case keys separated by dots, e.g. recommendation.max_recommendations)", field: keyPath);
        var mapping = root;
        foreach (var key in keys[..^1])
        {
            var keyNode = new YamlScalarNode(key);
            if (!mapping.Children.TryGetValue(keyNode, out var child)) mapping.Children[keyNode] = child = new YamlMappingNode();
            mapping = child as YamlMappingNode
                ?? throw new PipelineInputException("parameters", $"'{key}' is a value, not a section: a parameter cannot go inside it",
                    field: keyPath);
        }
        var last = new YamlScalarNode(keys[^1]);
        if (mapping.Children.TryGetValue(last, out var existing) && existing is not YamlScalarNode)
            throw new PipelineInputException("parameters", "names a section or list; only single values can be overridden", field: keyPath);
        mapping.Children[last] = new YamlScalarNode(value);
    }

    /// <summary>Parses the text into one YAML document whose root is a mapping. Aliases (*name) resolve to their anchored node.</summary>
    private static YamlMappingNode LoadRoot(string yaml, string sourceName)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e) when (e.GetType() == typeof(YamlException) && e.Message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            // YamlDotNet's representation model refuses duplicate keys before the binder sees them; recover the key path.
            var (path, firstLine) = DuplicateKeyAt(yaml, e.Start);
            var first = firstLine is null ? "" : $", first at line {firstLine}";
            throw new PipelineInputException(sourceName, $"key appears twice (line {e.Start.Line}{first})", field: path, inner: e);
        }
        catch (AnchorNotFoundException e)
        {
            // YamlDotNet reports this at the start of the document; find the alias itself.
            var at = UnknownAliasAt(yaml) ?? e.Start;
            throw new PipelineInputException(sourceName,
                $"not valid YAML at line {at.Line}, column {at.Column}: an alias (*name) refers to an anchor (&name) not defined above it", inner: e);
        }
        catch (YamlException e)
        {
            throw new PipelineInputException(sourceName,
                $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", inner: e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // YamlDotNet fails this way on some malformed input, e.g. a flow list or mapping left open ("[a, b" then a new key).
            var open = OpenFlowCollectionAt(yaml);
            var at = open ?? scanner.CurrentPosition;
            var problem = open is { } mark && mark.Index < yaml.Length ? $"this '{yaml[(int)mark.Index]}' is never closed"
                : "the structure breaks off here";
            throw new PipelineInputException(sourceName, $"not valid YAML at line {at.Line}, column {at.Column}: {problem}", inner: e);
        }

        if (stream.Documents.Count == 0)
            throw new PipelineInputException(sourceName,
                "the file is empty: expected a YAML mapping of config sections (event, inputs, registration, recommendation, ...)");
        if (stream.Documents.Count > 1)
            throw new PipelineInputException(sourceName,
                $"holds {stream.Documents.Count} YAML documents, " +
                $"an event config is one (the second starts at line {stream.Documents[1].RootNode.Start.Line})");
        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
            throw new PipelineInputException(sourceName,
                $"expected a YAML mapping of config sections (event, inputs, registration, recommendation, ...), " +
                $"got a {(root is YamlSequenceNode ? "list" : "single value")} (line {root.Start.Line})");
        return mapping;
    }

    /// <summary>Where the first alias to an undefined anchor is, by replaying the parser's events.</summary>
    private static Mark? UnknownAliasAt(string yaml)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is AnchorAlias alias && !anchors.Contains(alias.Value.Value)) return alias.Start;
                if (parser.Current is NodeEvent { Anchor.IsEmpty: false } node) anchors.Add(node.Anchor.Value);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Broken later on: fall back to what YamlDotNet reported.
        }
        return null;
    }

    /// <summary>The start of the innermost flow list or mapping ([ or {) still open when the parser fails, if any.</summary>
    private static Mark? OpenFlowCollectionAt(string yaml)
    {
        var open = new Stack<Mark>();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow }:
                        open.Push(parser.Current.Start);
                        break;
                    case SequenceEnd or MappingEnd when open.Count > 0 && IsFlowEnd(parser.Current, yaml):
                        open.Pop();
                        break;
                }
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return open.Count > 0 ? open.Peek() : null;
        }

        static bool IsFlowEnd(ParsingEvent end, string text) =>
            end.Start.Index < text.Length && text[(int)end.Start.Index] is ']' or '}';
    }

    /// <summary>
    /// The key path of the mapping key starting at <paramref name="at"/> (a duplicate YamlDotNet refused) and the line
    /// where the same key first appears in that mapping, found by replaying the parser's events.
    /// </summary>
    private static (string? Path, long? FirstLine) DuplicateKeyAt(string yaml, Mark at)
    {
        var frames = new List<Frame>();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart:
                        frames.Add(new Frame(isMapping: true));
                        break;
                    case SequenceStart:
                        frames.Add(new Frame(isMapping: false));
                        break;
                    case MappingEnd or SequenceEnd:
                        frames.RemoveAt(frames.Count - 1);
                        NodeDone(frames);
                        break;
                    case Scalar scalar when frames.Count > 0 && frames[^1] is { IsMapping: true, ExpectKey: true } mapping:
                        if (scalar.Start.Index == at.Index)
                            return (PathTo(frames, scalar.Value), mapping.FirstLines.TryGetValue(scalar.Value, out var line) ? line : null);
                        mapping.FirstLines.TryAdd(scalar.Value, scalar.Start.Line);
                        mapping.Key = scalar.Value;
                        mapping.ExpectKey = false;
                        break;
                    case Scalar or AnchorAlias:
                        NodeDone(frames);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The text breaks later on: the duplicate was not reached, report it without a path.
        }
        return (null, null);

        static void NodeDone(List<Frame> frames)
        {
            if (frames.Count == 0) return;
            var parent = frames[^1];
            if (!parent.IsMapping) parent.Index++;
            else if (parent.ExpectKey) { parent.Key = "?"; parent.ExpectKey = false; } // a complex key just ended
            else parent.ExpectKey = true;
        }

        static string PathTo(List<Frame> frames, string key)
        {
            var path = new StringBuilder();
            foreach (var frame in frames.Take(frames.Count - 1))
            {
                if (!frame.IsMapping) path.Append('[').Append(frame.Index).Append(']');
                else path.Append(path.Length == 0 ? "" : ".").Append(frame.Key);
            }
            return path.Append(path.Length == 0 ? "" : ".").Append(key).ToString();
        }
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;
        public bool ExpectKey { get; set; } = true;
        public string Key { get; set; } = "";
        public int Index { get; set; }
        public Dictionary<string, long> FirstLines { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>"what_type_does_your_practice_specialise_in" style snake_case of a property name.</summary>
    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private sealed class Binder(string sourceName)
    {
        // NullabilityInfoContext is not thread-safe: one per binder, so configs can load in parallel.
        private readonly NullabilityInfoContext _nullability = new();

        /// <summary>Line of every key (and list item) seen, by key path: rule violations found after binding name it.</summary>
        private readonly Dictionary<string, long> _lines = new(StringComparer.Ordinal);

        /// <summary>The line of a key path, else of its nearest ancestor in the file (a default value has none of its own).</summary>
        public long? LineOf(string keyPath)
        {
            while (keyPath.Length > 0)
            {
                if (_lines.TryGetValue(keyPath, out var line)) return line;
                var cut = keyPath.LastIndexOfAny(['.', '[']);
                keyPath = cut < 0 ? "" : keyPath[..cut];
            }
            return null;
        }

        public object? Bind(YamlNode node, Type type, string keyPath)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
                return IsNull(node) ? null : Bind(node, underlying, keyPath);

            if (type == typeof(string)) return Scalar(node, keyPath, "a string");
            if (type == typeof(int)) return ParseScalar(node, keyPath, "an integer",
                s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));
            if (type == typeof(double)) return ParseScalar(node, keyPath, "a number", s =>
            {
                var value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                return double.IsFinite(value) ? value : throw new FormatException(); // "Infinity", "NaN", 1e999
            });
            if (type == typeof(bool)) return ParseScalar(node, keyPath, "true or false", s => s switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                _ => throw new FormatException(),
            });
            if (type == typeof(DateOnly)) return ParseScalar(node, keyPath, "a date (yyyy-MM-dd)",
                s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)) return BindList(node, type, keyPath);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)) return BindDictionary(node, type, keyPath);
            if (type.IsClass) return BindObject(node, type, keyPath);
            throw new InvalidOperationException($"config type {type} is not supported by the binder");
        }

        private object BindObject(YamlNode node, Type type, string keyPath)
        {
            if (node is not YamlMappingNode mapping)
                throw Error(node, keyPath, "expected a mapping of keys");

            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<ConfigIgnoreAttribute>() is null)
                .ToDictionary(p => ToSnakeCase(p.Name), StringComparer.Ordinal);

            var instance = RuntimeHelpers.GetUninitializedObject(type);
            // Run the parameterless constructor so property initialisers (the defaults) apply.
            type.GetConstructor(Type.EmptyTypes)!.Invoke(instance, null);

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = ((keyNode as YamlScalarNode)?.Value) ?? throw Error(keyNode, keyPath, "keys must be plain strings");
                var childPath = keyPath.Length == 0 ? key : keyPath + "." + key;
                if (!properties.TryGetValue(key, out var property))
                {
                    var known = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal));
                    throw Error(keyNode, childPath, $"unknown key (allowed here: {known})");
                }
                if (!seen.Add(key)) throw Error(keyNode, childPath, "key appears twice");
                _lines[childPath] = keyNode.Start.Line;

                var nullable = _nullability.Create(property).WriteState == NullabilityState.Nullable;
                if (IsNull(valueNode))
                {
                    if (!nullable) throw Error(keyNode, childPath, "a value is required"); // the key's line: an empty value has none of its own
                    property.SetValue(instance, null);
                    continue;
                }
                property.SetValue(instance, Bind(valueNode, property.PropertyType, childPath));
            }

            foreach (var (key, property) in properties)
            {
                if (!seen.Contains(key) && property.GetCustomAttribute<RequiredMemberAttribute>() is not null)
                {
                    var missingPath = keyPath.Length == 0 ? key : keyPath + "." + key;
                    throw new PipelineInputException(sourceName, $"required key is missing (in the mapping at line {mapping.Start.Line})",
                        field: missingPath);
                }
            }
            return instance;
        }

        private object BindList(YamlNode node, Type type, string keyPath)
        {
            if (node is not YamlSequenceNode sequence) throw Error(node, keyPath, "expected a list");
            var itemType = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(type)!;
            var index = 0;
            foreach (var item in sequence.Children)
            {
                var itemPath = $"{keyPath}[{index++}]";
                _lines[itemPath] = item.Start.Line;
                if (IsNull(item)) throw Error(item, itemPath, "list items cannot be empty");
                list.Add(Bind(item, itemType, itemPath));
            }
            return list;
        }

        private object BindDictionary(YamlNode node, Type type, string keyPath)
        {
            if (node is not YamlMappingNode mapping) throw Error(node, keyPath, "expected a mapping");
            var valueType = type.GetGenericArguments()[1];
            var dictionary = (IDictionary)Activator.CreateInstance(type)!;
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? throw Error(keyNode, keyPath, "keys must be plain strings");
                var childPath = $"{keyPath}.{key}";
                if (dictionary.Contains(key)) throw Error(keyNode, childPath, "key appears twice");
                _lines[childPath] = keyNode.Start.Line;
                if (IsNull(valueNode)) throw Error(keyNode, childPath, "a value is required");
                dictionary.Add(key, Bind(valueNode, valueType, childPath));
            }
            return dictionary;
        }

        private string Scalar(YamlNode node, string keyPath, string expected) =>
            node is YamlScalarNode { Value: not null } scalar
                ? scalar.Value
                : throw Error(node, keyPath, $"expected {expected}, got a {(node is YamlSequenceNode ? "list" : "mapping")}");

        private object ParseScalar(YamlNode node, string keyPath, string expected, Func<string, object> parse)
        {
            var text = Scalar(node, keyPath, expected);
            try
            {
                return parse(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw Error(node, keyPath, $"expected {expected}, got '{text}'");
            }
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private PipelineInputException Error(YamlNode node, string keyPath, string problem) =>
            new(sourceName, $"{problem} (line {node.Start.Line})", field: keyPath.Length == 0 ? null : keyPath);
    }
}
