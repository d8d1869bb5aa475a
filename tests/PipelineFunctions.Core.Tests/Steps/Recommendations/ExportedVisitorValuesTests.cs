using PipelineFunctions.Core.Steps.Recommendations;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations;

/// <summary>A visitor's export values by column name read as the dictionary they replace: a column without a value is absent.</summary>
public sealed class ExportedVisitorValuesTests
{
    private static readonly string[] Columns = ["assist_year_before", "job_role", "Country"];

    [Fact]
    public void Values_are_found_by_column_and_columns_past_the_values_are_absent()
    {
        var values = new ExportedVisitorValues(Columns, ExportedVisitorValues.IndexOf(Columns), ["1", "Vet Nurse"]);

        Assert.Equal(2, values.Count);
        Assert.Equal("Vet Nurse", values["job_role"]);
        Assert.Equal("1", values.GetValueOrDefault("assist_year_before"));
        Assert.Null(values.GetValueOrDefault("Country"));
        Assert.False(values.ContainsKey("Email"));
        Assert.Throws<KeyNotFoundException>(() => values["Country"]);
        Assert.Equal(new Dictionary<string, string> { ["assist_year_before"] = "1", ["job_role"] = "Vet Nurse" }, values);
        Assert.Equal(["assist_year_before", "job_role"], values.Keys);
    }
}
