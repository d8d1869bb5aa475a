using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Core.Orchestration.Submissions;

namespace PipelineFunctions.Core.Tests.Orchestration.Submissions;

/// <summary>A submission's input names a folder under the host's inputs root, and nothing can name one outside it.</summary>
public sealed class InputNamesTests
{
    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData("..", "'..' segment")]
    [InlineData("../x", "'..' segment")]
    [InlineData("x/../../y", "'..' segment")]
    [InlineData("x/./y", "'..' segment")]
    [InlineData("/etc", "absolute path")]
    [InlineData("~/data", "absolute path")]
    [InlineData("~data", "absolute path")]
    [InlineData("a\\b", "backslash")]
    [InlineData("..\\x", "backslash")]
    [InlineData("%2e%2e%2fx", "'%'")]
    [InlineData("%2E%2E/x", "'%'")]
    [InlineData("x%2fy", "'%'")]
    [InlineData("file:///etc", "':'")]
    [InlineData("https://elsewhere.example/x", "':'")]
    [InlineData("C:/data", "':'")]
    [InlineData("x;Container=other", "';'")]
    [InlineData("UseDevelopmentStorage=true;Container=x", "';'")]
    [InlineData("x//y", "empty path segment")]
    [InlineData("x/", "empty path segment")]
    [InlineData("x\ny", "control characters")]
    [InlineData("x\u0000", "control characters")]
    [InlineData("x\u007f", "control characters")]
    [InlineData(" x", "white space")]
    [InlineData("x/y ", "white space")]
    [InlineData("x/ y", "white space")]
    public void Names_that_could_leave_the_root_or_change_its_meaning_are_refused(string? input, string problem) =>
        Assert.Contains(problem, InputNames.Problem(input));

    [Fact]
    public void Names_are_at_most_200_characters()
    {
        Assert.Null(InputNames.Problem(new string('a', InputNames.MaxLength)));
        Assert.Contains("longer than 200", InputNames.Problem(new string('a', InputNames.MaxLength + 1)));
        Assert.Equal(200, InputNames.MaxLength);
    }

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("shows/vet_lva")]
    [InlineData("vet_lva/2026")]
    [InlineData("BVA 2025")]
    [InlineData("x..y")]
    [InlineData("x~")]
    [InlineData(".hidden-ish")]
    public void Plain_relative_folder_names_are_accepted_and_are_artifact_paths(string input)
    {
        Assert.Null(InputNames.Problem(input));
        Assert.True(ArtifactPath.TryParse(input, out _, out _));
    }

    [Fact]
    public void A_refusal_is_on_field_input_and_quotes_the_name_printably()
    {
        var error = Assert.Throws<PipelineInputException>(() => InputNames.Validate("x\u0000/../y"));
        Assert.Equal("request", error.File);
        Assert.Equal("input", error.Field);
        Assert.Equal("'x?/../y' contains control characters", error.Problem);
        InputNames.Validate("vet_lva");
    }
}
