using PipelineFunctions.Core;
using PipelineFunctions.Local.Serve;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.Local.Tests.Serve;

/// <summary>A run's input names a folder under the inputs root, and nothing can name one outside it.</summary>
public sealed class InputsRootTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("x/../../y")]
    [InlineData("x/./y")]
    [InlineData("/etc")]
    [InlineData("~/data")]
    [InlineData("a\\b")]
    [InlineData("..\\x")]
    [InlineData("%2e%2e%2fx")]
    [InlineData("%2E%2E/x")]
    [InlineData("x%2fy")]
    [InlineData("file:///etc")]
    [InlineData("C:/data")]
    [InlineData("x//y")]
    [InlineData("x/")]
    [InlineData("x\ny")]
    [InlineData("x\u0000")]
    [InlineData("x\u007f")]
    [InlineData(" x")]
    public void Names_that_could_leave_the_root_are_refused(string input) => Assert.NotNull(InputsRoot.SyntaxProblem(input));

    [Theory]
    [InlineData("vet_lva")]
    [InlineData("shows/vet_lva")]
    [InlineData("BVA 2025")]
    [InlineData("x..y")]
    public void Plain_relative_folder_names_are_accepted(string input) => Assert.Null(InputsRoot.SyntaxProblem(input));

    [Fact]
    public void A_folder_resolves_under_the_root_and_a_missing_one_is_refused_on_field_input()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("inputs", "shows", "vet_lva"));
        Directory.CreateDirectory(temp.Combine("outside"));
        var root = new InputsRoot(temp.Combine("inputs"));

        Assert.Equal(temp.Combine("inputs", "shows", "vet_lva"), root.FolderOf("shows/vet_lva"));
        var missing = Assert.Throws<PipelineInputException>(() => root.FolderOf("vet_lva"));
        Assert.Equal("input", missing.Field);
        Assert.DoesNotContain(temp.Path, missing.Message);
        Assert.Equal("input", Assert.Throws<PipelineInputException>(() => root.FolderOf("../outside")).Field);
    }
}
