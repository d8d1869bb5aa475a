using System.Text.Json;
using PipelineFunctions.Core.Events;

namespace PipelineFunctions.Benchmarks;

/// <summary>Sizes of a show's input set that the step summaries do not report.</summary>
internal static class ShowFacts
{
    /// <summary>Answer rows in the demographic exports: one object per answer, so object starts at depth 1.</summary>
    public static long DemographicRows(string folder, EventConfig config)
    {
        long count = 0;
        foreach (var file in new[] { config.Inputs.MainDemographics, config.Inputs.SecondaryDemographics })
        {
            var reader = new Utf8JsonReader(File.ReadAllBytes(Path.Combine(folder, file)));
            while (reader.Read())
                if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 1) count++;
        }
        return count;
    }
}
