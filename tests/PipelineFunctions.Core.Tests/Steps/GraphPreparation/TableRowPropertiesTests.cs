using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Steps.GraphPreparation;

namespace PipelineFunctions.Core.Tests.Steps.GraphPreparation;

/// <summary>The visitor processor's properties view of a row holds exactly what the table's own copy of it holds.</summary>
public sealed class TableRowPropertiesTests
{
    private static readonly ArtifactTable Visitors = new("visitors_this_year.csv", ["BadgeId", "Email", "JobTitle", "Specialization"],
    [
        ["B1", "a@x.org", "Vet", "Small Animal;Equine"],
        ["B2", "", "Nurse", ""],
    ]);

    [Fact]
    public void A_row_reads_as_the_tables_own_property_map_in_column_order()
    {
        var properties = TableRowProperties.For(Visitors);
        foreach (var row in Visitors.Rows)
        {
            var view = properties(row);
            var copy = Visitors.Properties(row);
            Assert.Equal(copy.ToList(), view.ToList());
            Assert.Equal(copy.Keys, view.Keys);
            Assert.Equal(copy.Values, view.Values);
            Assert.Equal(copy.Count, view.Count);
            Assert.Equal(row[2], view["JobTitle"]);
            Assert.True(view.TryGetValue("Email", out var email));
            Assert.Equal(row[1], email);
            Assert.False(view.ContainsKey("Missing"));
            Assert.False(view.TryGetValue("Missing", out _));
            Assert.Throws<KeyNotFoundException>(() => view["Missing"]);
        }
    }

    [Fact]
    public void A_column_name_given_twice_keeps_the_tables_own_rule()
    {
        var table = new ArtifactTable("t.csv", ["BadgeId", "Note", "Note"], [["B1", "first", "second"]]);

        var view = TableRowProperties.For(table)(table.Rows[0]);

        Assert.Equal(table.Properties(table.Rows[0]).ToList(), view.ToList());
        Assert.Equal("second", view["Note"]);
    }
}
