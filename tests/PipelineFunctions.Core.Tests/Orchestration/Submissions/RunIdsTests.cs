using PipelineFunctions.Core.Orchestration;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Core.Tests.Orchestration.Submissions;

/// <summary>Instance (run) ids name a run folder and a URL segment: one rule on both hosts, and new ids that obey it.</summary>
public sealed class RunIdsTests
{
    [Theory]
    [InlineData("run-1.a_b")]
    [InlineData("r")]
    [InlineData("7")]
    [InlineData("weekly-vet_lva-2026-W01")]
    [InlineData("20260504T030201Z-0a1b2c")]
    [InlineData("my-run.1")]
    public void Letters_digits_dash_underscore_and_dot_starting_with_a_letter_or_digit_are_ids(string id)
    {
        Assert.Null(RunIds.Problem(id));
        RunRequestValidation.ValidateInstanceId(id);
    }

    [Theory]
    [InlineData("-run", "must start with a letter or digit")]
    [InlineData("_run", "must start with a letter or digit")]
    [InlineData(".run", "must start with a letter or digit")]
    [InlineData(".", "must start with a letter or digit")]
    [InlineData("..", "must start with a letter or digit")]
    [InlineData("", "must be 1 to 100 characters")]
    [InlineData(null, "must be 1 to 100 characters")]
    [InlineData("../escape", "must start with a letter or digit")]
    [InlineData("a/b", "may hold only")]
    [InlineData("a\\b", "may hold only")]
    [InlineData("%2e%2e%2fx", "must start with a letter or digit")]
    [InlineData("run%20x", "may hold only")]
    [InlineData("C:x", "may hold only")]
    [InlineData("run 1", "may hold only")]
    [InlineData("run\n", "may hold only")]
    [InlineData("rün", "may hold only")]
    public void Anything_else_is_refused(string? id, string problem)
    {
        Assert.Contains(problem, RunIds.Problem(id));
        var error = Assert.Throws<PipelineInputException>(() => RunRequestValidation.ValidateInstanceId(id!));
        Assert.Equal("request", error.File);
        Assert.Equal("instanceId", error.Field);
    }

    [Fact]
    public void Ids_are_at_most_100_characters()
    {
        Assert.Null(RunIds.Problem(new string('a', 100)));
        Assert.Equal("must be 1 to 100 characters", RunIds.Problem(new string('a', 101)));
    }

    [Fact]
    public void A_refusal_quotes_the_id()
    {
        var error = Assert.Throws<PipelineInputException>(() => RunIds.Validate("-run"));
        Assert.Equal("'-run' must start with a letter or digit", error.Problem);
    }

    [Fact]
    public void New_ids_are_the_utc_second_and_six_hex_digits_sortable_and_valid()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 5, 4, 5, 2, 1, TimeSpan.FromHours(2)));
        var ids = Enumerable.Range(0, 50).Select(_ => RunIds.New(time)).ToList();

        Assert.All(ids, id => Assert.Matches("^20260504T030201Z-[0-9a-f]{6}$", id));
        Assert.All(ids, id => Assert.Null(RunIds.Problem(id)));
        Assert.True(ids.Distinct().Count() > 40, "six random hex digits should rarely repeat");
        var later = RunIds.New(new FixedTime(new DateTimeOffset(2026, 5, 4, 3, 2, 2, TimeSpan.Zero)));
        Assert.All(ids, id => Assert.True(string.CompareOrdinal(id, later) < 0));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
