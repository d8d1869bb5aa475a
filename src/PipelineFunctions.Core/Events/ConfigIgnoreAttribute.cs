namespace PipelineFunctions.Core.Events;

/// <summary>Marks a property that is not a YAML key.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigIgnoreAttribute : Attribute;
