using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using YamlDotNet.Core;
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

    public static EventConfig LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new PipelineInputException(path, "event config file not found");
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    public static EventConfig Parse(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PipelineInputException(sourceName, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new PipelineInputException(sourceName, "expected a YAML mapping of config sections");

        var config = (EventConfig)new Binder(sourceName).Bind(root, typeof(EventConfig), "")!;
        config.SourcePath = sourceName;
        EventConfigRules.Check(config, sourceName);
        return config;
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
        private static readonly NullabilityInfoContext Nullability = new();

        public object? Bind(YamlNode node, Type type, string keyPath)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
                return IsNull(node) ? null : Bind(node, underlying, keyPath);

            if (type == typeof(string)) return Scalar(node, keyPath, "a string");
            if (type == typeof(int)) return ParseScalar(node, keyPath, "an integer", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));
            if (type == typeof(double)) return ParseScalar(node, keyPath, "a number", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (type == typeof(bool)) return ParseScalar(node, keyPath, "true or false", s => s switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                _ => throw new FormatException(),
            });
            if (type == typeof(DateOnly)) return ParseScalar(node, keyPath, "a date (yyyy-MM-dd)", s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture));
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

                var nullable = Nullability.Create(property).WriteState == NullabilityState.Nullable;
                if (IsNull(valueNode))
                {
                    if (!nullable) throw Error(valueNode, childPath, "a value is required");
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
                    throw new PipelineInputException(sourceName, $"required key is missing (in the mapping at line {mapping.Start.Line})", field: missingPath);
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
                if (IsNull(valueNode)) throw Error(valueNode, childPath, "a value is required");
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
