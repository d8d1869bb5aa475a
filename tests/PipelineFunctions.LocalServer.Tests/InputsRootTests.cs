using PipelineFunctions.Core;
using PipelineFunctions.Local.Tests.Support;

namespace PipelineFunctions.LocalServer.Tests;

/// <summary>
/// A run's input names an existing folder under the inputs root, and nothing can name one outside it. The name's syntax
/// is Core's rule (tested in Core's InputNamesTests); these are the local host's own checks on top of it.
/// </summary>
public sealed class InputsRootTests
{
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

    [Theory]
    [InlineData("../outside")]
    [InlineData("shows;x")]
    [InlineData("~")]
    public void Names_the_core_rule_refuses_are_refused_even_when_the_folder_exists(string input)
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("inputs", input));
        Directory.CreateDirectory(temp.Combine("outside"));
        var root = new InputsRoot(temp.Combine("inputs"));

        var error = Assert.Throws<PipelineInputException>(() => root.FolderOf(input));
        Assert.Equal("input", error.Field);
        Assert.DoesNotContain(temp.Path, error.Message);
    }
}
