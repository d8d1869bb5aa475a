using System.Globalization;
using System.Security.Cryptography;

namespace PipelineFunctions.Core.Orchestration.Submissions;

/// <summary>
/// Run ids, which are the instance ids of both hosts and name a run's artifact folder
/// (<c>runs/&lt;event&gt;/&lt;runId&gt;/...</c>) and a segment of status URLs: the one rule for ids a client gives, and
/// new ids when it gives none.
/// </summary>
public static class RunIds
{
    public const string Field = "instanceId";

    public const int MaxLength = 100;

    /// <summary>yyyyMMddTHHmmssZ-xxxxxx (UTC, 6 random hex digits): sorts by start time, stays unique when two runs
    /// start in the same second, and obeys <see cref="Problem"/>. The time is converted to UTC even if the provider gives an offset.</summary>
    public static string New(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-"
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>Why the id is not an instance id, or null: 1 to 100 ASCII letters, digits, '-', '_' and '.', starting
    /// with a letter or digit (so never '.', '..', a hidden folder or something read as an option).</summary>
    /// <returns>A predicate on the id, e.g. "must start with a letter or digit", to follow the quoted id.</returns>
    public static string? Problem(string? id)
    {
        if (id is null || id.Length is 0 or > MaxLength) return $"must be 1 to {MaxLength} characters";
        if (!char.IsAsciiLetterOrDigit(id[0])) return "must start with a letter or digit";
        if (id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))) return "may hold only letters, digits, '-', '_' and '.'";
        return null;
    }

    /// <exception cref="PipelineInputException">The id breaks <see cref="Problem"/>'s rule (field <see cref="Field"/>).</exception>
    public static void Validate(string? id)
    {
        if (Problem(id) is { } problem) throw RequestErrors.For(Field, $"{RequestErrors.Quote(id)} {problem}");
    }
}
