using PipelineFunctions.Core.Steps.Recommendations.Sharding;

namespace PipelineFunctions.Core.Tests.Steps.Recommendations.Sharding;

/// <summary>
/// A visitor's columns held as values by position behave as the dictionary they replace: a missing value is absent (an empty
/// one present), lookups of unknown columns find nothing, and enumeration gives the present columns in column order.
/// </summary>
public sealed class ColumnarPropertiesTests
{
    private static readonly string[] Names = ["Company", "Country", "job_role"];

    [Fact]
    public void Present_values_are_found_missing_ones_and_unknown_columns_are_not()
    {
        var properties = new ColumnarProperties(Names, ColumnarProperties.Positions(Names), ["Vets Ltd", null, ""]);

        Assert.Equal(2, properties.Count);
        Assert.True(properties.TryGetValue("job_role", out var empty));
        Assert.Equal("", empty);
        Assert.Equal("Vets Ltd", properties["Company"]);
        Assert.False(properties.ContainsKey("Country"));
        Assert.Null(properties.GetValueOrDefault("Email"));
        Assert.Throws<KeyNotFoundException>(() => properties["Country"]);
        Assert.Equal([("Company", "Vets Ltd"), ("job_role", "")], properties.Select(p => (p.Key, p.Value)));
        Assert.Equal(["Company", "job_role"], properties.Keys);
    }

    [Fact]
    public void A_visitors_export_values_are_found_by_column_and_enumerate_in_column_order()
    {
        string[] columns = ["assist_year_before", "job_role", "Country"];
        string[] values = ["1", "Vet Nurse", ""];
        var exported = new ColumnarProperties(columns, ColumnarProperties.Positions(columns), values);

        Assert.Equal(3, exported.Count);
        Assert.Equal("Vet Nurse", exported["job_role"]);
        Assert.Equal("1", exported.GetValueOrDefault("assist_year_before"));
        Assert.Equal("", exported.GetValueOrDefault("Country"));
        Assert.False(exported.ContainsKey("Email"));
        Assert.Throws<KeyNotFoundException>(() => exported["Email"]);
        Assert.Equal(new Dictionary<string, string> { ["assist_year_before"] = "1", ["job_role"] = "Vet Nurse", ["Country"] = "" }, exported);
        Assert.Equal(["assist_year_before", "job_role", "Country"], exported.Keys);
    }

    [Fact]
    public void Values_must_match_the_columns()
    {
        Assert.Throws<ArgumentException>(() => new ColumnarProperties(Names, ColumnarProperties.Positions(Names), ["only one"]));
    }
}
