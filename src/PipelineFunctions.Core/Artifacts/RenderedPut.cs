using System.IO.Pipelines;

namespace PipelineFunctions.Core.Artifacts;

/// <summary>The default of <see cref="IArtifactStore.PutRenderedAsync"/> for stores that only take a stream to read.</summary>
internal static class RenderedPut
{
    /// <summary>Renders into a pipe that the store reads from as it is written: only the pipe's window is in memory.</summary>
    public static async Task<StoredArtifact> ThroughPipeAsync(IArtifactStore store, ArtifactPath path, Action<Stream, CancellationToken> render,
        CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 21, resumeWriterThreshold: 1 << 20, minimumSegmentSize: 1 << 16));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rendering = Task.Run(async () =>
        {
            try
            {
                await using (var stream = new PipeRenderStream(pipe.Writer)) render(stream, stop.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                // The store's read fails with this, so the put ends instead of waiting for data that never comes.
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, CancellationToken.None);
        try
        {
            await using var content = pipe.Reader.AsStream();
            var stored = await store.PutAsync(path, content, cancellationToken);
            await rendering;
            return stored;
        }
        catch
        {
            // The put failed: stop the rendering and wait for it, so nothing writes on after the put has failed.
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            try { await rendering; } catch (Exception) { /* the put's own failure is the one reported */ }
            throw;
        }
    }
}
