using System.Reflection;

namespace PipelineFunctions.Core.Steps;

/// <summary>
/// The version of the pipeline's code, recorded with models (and runs) so a result can be traced to the code that
/// made it: the assembly's informational version plus its module version id, which deterministic builds derive from
/// the compiled code itself, so any change to Core changes it.
/// </summary>
public static class CodeVersion
{
    public static string Current { get; } = Of(typeof(CodeVersion).Assembly);

    public static string Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        return $"{informational.Split('+')[0]}+{assembly.ManifestModule.ModuleVersionId.ToString("N")[..12]}";
    }
}
