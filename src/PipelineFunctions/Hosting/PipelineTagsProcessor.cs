using System.Diagnostics;
using OpenTelemetry;

namespace PipelineFunctions.Hosting;

/// <summary>Copies the pipeline's run id, instance id, event and step from baggage onto every span as it starts.</summary>
internal sealed class PipelineTagsProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => PipelineTelemetry.CopyTags(data);
}
