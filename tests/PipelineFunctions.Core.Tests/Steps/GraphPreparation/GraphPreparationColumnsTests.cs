using PipelineFunctions.Core.Events;
using PipelineFunctions.Core.Steps.GraphPreparation;
using PipelineFunctions.Core.Tests.Support;
using Step1 = PipelineFunctions.Core.Steps.DataPreparation.DataPreparationOutputNames;

namespace PipelineFunctions.Core.Tests.Steps.GraphPreparation;

/// <summary>Each part of step 2 reads the visitor columns its processors use: every column for nodes, a few for links.</summary>
public sealed class GraphPreparationColumnsTests
{
    private static readonly EventConfig Config =
        EventConfigLoader.Parse(File.ReadAllText(RepositoryPaths.EventConfig("vet_lva")), "vet_lva.yaml");

    [Fact]
    public void The_stream_link_part_reads_the_badge_and_the_answer_columns_it_maps()
    {
        IGraphProcessor[] part = [new JobRoleStreamProcessor(), new SpecialisationStreamProcessor()];

        var columns = GraphPreparationStep.ColumnsOf(part, Step1.VisitorsThisYear, Config);

        Assert.Equal(new[] { "BadgeId", Config.Registration.JobRoleField, Config.Registration.PracticeTypeFields.ThisYear! }.Order(),
            columns!.Order());
        Assert.Equal(new[] { "BadgeId", Config.Registration.PracticeTypeFields.PastMain! }.Order(),
            GraphPreparationStep.ColumnsOf(part, Step1.VisitorsPastMain, Config)!.Order());
        Assert.Null(GraphPreparationStep.ColumnsOf(part, Step1.JobRoleStreams, Config));
    }

    [Fact]
    public void A_part_that_writes_visitor_nodes_reads_every_column()
    {
        IGraphProcessor[] part = [VisitorProcessor.ThisYear(), new VisitorRelationshipProcessor()];

        Assert.Null(GraphPreparationStep.ColumnsOf(part, Step1.VisitorsThisYear, Config));
        Assert.Equal(3, GraphPreparationStep.ColumnsOf([new VisitorRelationshipProcessor()], Step1.VisitorsThisYear, Config)!.Count);
    }
}
