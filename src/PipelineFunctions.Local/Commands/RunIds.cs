using System.Globalization;
using System.Security.Cryptography;

namespace PipelineFunctions.Local.Commands;

/// <summary>Run ids that sort by start time and stay unique when two runs start in the same second.</summary>
public static class RunIds
{
    public static string New(TimeProvider time) =>
        time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}
