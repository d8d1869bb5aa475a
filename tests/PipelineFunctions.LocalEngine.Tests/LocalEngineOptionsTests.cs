using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PipelineFunctions.LocalEngine.Tests;

/// <summary>The engine's settings bind under the environment variables' names and a bad one is refused at start, by name.</summary>
public sealed class LocalEngineOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLocalEngineOptions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void Unset_settings_take_the_defaults()
    {
        using var services = Services([]);
        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<LocalEngineOptions>>().Value;
        Assert.Equal(Path.GetFullPath(LocalEngineOptions.DefaultRunStore), options.RunStorePath(null));
        Assert.Null(options.Lease);
        Assert.Null(options.ParallelActivities);
    }

    [Fact]
    public void The_variables_bind_and_a_command_line_value_wins_over_the_run_store_setting()
    {
        using var services = Services(new()
        {
            [LocalEngineOptions.RunStoreVariable] = "state/runs.db", [LocalEngineOptions.LeaseVariable] = " 7 ",
            [LocalEngineOptions.ParallelActivitiesVariable] = "3",
        });
        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<LocalEngineOptions>>().Value;
        Assert.Equal(Path.GetFullPath("state/runs.db"), options.RunStorePath(null));
        Assert.Equal(Path.GetFullPath("other.sqlite"), options.RunStorePath("other.sqlite"));
        Assert.Equal(TimeSpan.FromSeconds(7), options.Lease);
        Assert.Equal(3, options.ParallelActivities);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("0")]
    [InlineData("-2")]
    public void A_parallel_activity_count_that_is_not_a_positive_whole_number_fails_at_start_naming_the_variable(string count)
    {
        using var services = Services(new() { [LocalEngineOptions.ParallelActivitiesVariable] = count });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal([$"PA_PARALLEL_ACTIVITIES: '{count}' is not a whole number above 0"], error.Failures);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void A_lease_that_is_not_a_positive_whole_number_of_seconds_fails_at_start_naming_the_variable_and_value(string lease)
    {
        using var services = Services(new() { [LocalEngineOptions.LeaseVariable] = lease });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal([$"PA_RUN_LEASE_SECONDS: '{lease}' is not a whole number of seconds above 0"], error.Failures);
    }

    [Fact]
    public void An_empty_run_store_setting_fails_at_start()
    {
        using var services = Services(new() { [LocalEngineOptions.RunStoreVariable] = " " });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.StartsWith("PA_RUNS is empty", Assert.Single(error.Failures));
    }
}
