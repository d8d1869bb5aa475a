using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Tests.Graph;

public sealed class GraphNormalisationTests
{
    [Fact]
    public void Clean_streams_are_trimmed_with_blank_ones_dropped_and_order_kept()
    {
        Assert.Equal(["small animal", "SURGERY", "Surgery", "a b"],
            GraphNormalisation.CleanStreams(["small animal", " SURGERY ", "", "   ", null!, "Surgery", "\ta b\n"]));
    }

    [Fact]
    public void Clean_streams_of_nothing_is_an_empty_list()
    {
        Assert.Empty(GraphNormalisation.CleanStreams(null));
        Assert.Empty(GraphNormalisation.CleanStreams([]));
    }

    [Fact]
    public void Clean_streams_keeps_case_variants_apart()
    {
        // Case only matters for matching (StreamKey): the session keeps the names as given.
        Assert.Equal(["Dentistry", "dentistry"], GraphNormalisation.CleanStreams(["Dentistry", "dentistry"]));
    }

    [Theory]
    [InlineData("Surgery", "surgery")]
    [InlineData("  SURGERY ", "surgery")]
    [InlineData("Small Animal", "small animal")]
    [InlineData("Größe", "größe")]
    [InlineData("", "")]
    public void Stream_keys_ignore_case_and_surrounding_spaces(string stream, string key) =>
        Assert.Equal(key, GraphNormalisation.StreamKey(stream));

    [Fact]
    public void Stream_keys_use_the_invariant_culture()
    {
        // Turkish dotted/dotless i would differ under a culture-sensitive lower-casing.
        Assert.Equal("istanbul", GraphNormalisation.StreamKey("ISTANBUL"));
    }

    [Fact]
    public void Last_per_key_keeps_the_last_item_at_the_first_ones_position()
    {
        (string Key, int Value)[] items = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5), ("a", 6)];

        var result = GraphNormalisation.LastPerKey(items, i => i.Key);

        Assert.Equal([("a", 6), ("b", 5), ("c", 4)], result);
    }

    [Fact]
    public void Last_per_key_with_distinct_keys_keeps_every_item_in_order()
    {
        int[] items = [5, 3, 9, 1];

        Assert.Equal(items, GraphNormalisation.LastPerKey(items, i => i));
        Assert.Empty(GraphNormalisation.LastPerKey(Array.Empty<int>(), i => i));
    }

    [Fact]
    public void Last_per_key_compares_keys_with_their_own_equality()
    {
        // Composite keys (tuples) as the adapters use them; stream keys collapse case variants.
        (string Badge, string Stream)[] links = [("V1", "Surgery"), ("V1", "surgery "), ("V2", "Surgery")];

        var result = GraphNormalisation.LastPerKey(links, l => (l.Badge, GraphNormalisation.StreamKey(l.Stream)));

        Assert.Equal([("V1", "surgery "), ("V2", "Surgery")], result);
    }
}
