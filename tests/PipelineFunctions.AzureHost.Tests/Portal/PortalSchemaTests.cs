using System.Globalization;
using System.Text.RegularExpressions;
using PipelineFunctions.AzureHost.Tests.Support;
using PipelineFunctions.Core.Telemetry;

namespace PipelineFunctions.AzureHost.Tests.Portal;

/// <summary>
/// The portal cannot drift from the code: every workbook and alert query infra/ deploys names only metrics, spans,
/// events, attributes, values and columns the pipeline emits (PipelineTelemetryNames), and docs/azure.md lists every name.
/// </summary>
public sealed class PortalSchemaTests
{
    public static TheoryData<string> QuerySources() => [.. PortalQueries.All().Select(q => q.Source)];

    [Theory]
    [MemberData(nameof(QuerySources))]
    public void A_portal_query_names_only_what_the_pipeline_emits(string source)
    {
        var (_, query, defined) = PortalQueries.All().Single(q => q.Source == source);
        Assert.Empty(PortalQueries.UnknownNames(query, defined));
    }

    [Fact]
    public void The_workbook_and_both_alerts_are_deployed_with_their_queries()
    {
        var sources = PortalQueries.All().Select(q => q.Source).ToList();
        Assert.Equal(["infra/alerts/run-failed.kql", "infra/alerts/weekly-run-missing.kql"],
            sources.Where(s => s.EndsWith(".kql", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(["failed-runs", "ranker-decisions", "ranker-ndcg", "recommendations-per-run", "runs-over-time", "step-durations"],
            sources.Where(s => s.Contains('#')).Select(s => s.Split('#')[1]).Order(StringComparer.Ordinal));
    }

    /// <summary>The check itself fails on a wrong name of each kind, planted in the deployed queries.</summary>
    [Theory]
    [InlineData("step-durations", "\"PipelineStep\"", "\"PipelineSteps\"", "PipelineSteps")]
    [InlineData("step-durations", "[\"pipeline.step\"]", "[\"pipeline.stage\"]", "pipeline.stage")]
    [InlineData("step-durations", "percentile(duration, 95)", "percentile(durationMs, 95)", "durationMs")]
    [InlineData("ranker-decisions", "\"pipeline.ranker.decisions\"", "\"pipeline.ranker.decision_count\"", "pipeline.ranker.decision_count")]
    [InlineData("failed-runs", "\"PipelineRunEnded\"", "\"PipelineRunFinished\"", "PipelineRunFinished")]
    [InlineData("failed-runs", "== \"Failed\"", "== \"Failure\"", "Failure")]
    [InlineData("failed-runs", "customDimensions.EventName", "customDimensions.Event", "Event")]
    [InlineData("weekly-run-missing.kql", "\"weekly-\"", "\"weekly_\"", "weekly_")]
    public void The_check_reports_a_wrong_name_planted_in_a_query(string source, string name, string wrong, string reported)
    {
        var (_, query, defined) = PortalQueries.All().Single(q => q.Source.EndsWith(source, StringComparison.Ordinal));
        Assert.Contains(name, query);
        Assert.Equal([reported], PortalQueries.UnknownNames(query.Replace(name, wrong, StringComparison.Ordinal), defined));
    }

    [Fact]
    public void Docs_azure_md_lists_every_name_the_pipeline_emits()
    {
        var docs = File.ReadAllText(Path.Combine(AzureHostPaths.RepositoryRoot, "docs", "azure.md"));
        var missing = typeof(PipelineTelemetryNames).GetNestedTypes().Prepend(typeof(PipelineTelemetryNames))
            .SelectMany(type => type.GetFields().Where(f => f.IsLiteral))
            .Select(field => Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)!)
            .Where(name => !docs.Contains($"`{name}`", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(missing);
        // Every instrument and span has its own row in the table (the instruments' units are checked against a real run's).
        var rows = typeof(PipelineTelemetryNames.Instruments).GetFields().Concat(typeof(PipelineTelemetryNames.Spans).GetFields())
            .Select(f => (string)f.GetRawConstantValue()!).Append(PipelineTelemetryNames.RunEnded.EventName);
        Assert.All(rows, name =>
            Assert.Matches(new Regex($@"^\| `{Regex.Escape(name)}` \| (histogram|counter|span|log event) \|", RegexOptions.Multiline), docs));
    }
}
