using PipelineFunctions.Core.Graph;

namespace PipelineFunctions.Core.Tests.Graph;

public sealed class GraphIdentityTests
{
    private static readonly GraphIdentity VetLva = new("lva", "lva", "bva", "dev");

    [Fact]
    public void An_identity_with_three_names_and_two_distinct_past_shows_is_usable()
    {
        VetLva.EnsureUsable();
    }

    [Theory]
    [InlineData("", "lva", "bva", "event.name")]
    [InlineData("lva", " ", "bva", "event.main_event_name")]
    [InlineData("lva", "lva", null, "event.secondary_event_name")]
    public void An_empty_name_is_refused_naming_its_config_field(string show, string main, string? secondary, string field)
    {
        var error = Assert.Throws<PipelineInputException>(() => (VetLva with { Show = show, MainEventName = main, SecondaryEventName = secondary! })
            .EnsureUsable());

        Assert.Equal(field, error.Field);
        Assert.Contains("must not be empty", error.Message);
    }

    [Fact]
    public void Both_past_shows_with_one_name_are_refused_since_their_visitors_would_share_a_label()
    {
        var error = Assert.Throws<PipelineInputException>(() => (VetLva with { SecondaryEventName = "lva" }).EnsureUsable());

        Assert.Equal("event.secondary_event_name", error.Field);
        Assert.Contains("must differ from event.main_event_name", error.Message);
    }
}
