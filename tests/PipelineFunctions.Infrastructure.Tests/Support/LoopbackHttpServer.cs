using System.Net;
using System.Net.Sockets;

namespace PipelineFunctions.Infrastructure.Tests.Support;

/// <summary>
/// A loopback HTTP server (HttpListener on 127.0.0.1, a free port) for the clients' real HTTP tests. Each request is
/// answered on its own task, so a delayed answer does not hold up the retry behind it; a subclass says what to answer.
/// </summary>
public abstract class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private int _requestCount;

    protected LoopbackHttpServer()
    {
        (_listener, Root) = StartOnFreePort();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The server's root URL, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Root { get; }

    /// <summary>Cancelled when the server stops: a delayed answer waits on it.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>A loopback port where nothing listens (just freed).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Answers request number <paramref name="number"/> (1-based, in order of arrival).</summary>
    protected abstract Task AnswerAsync(HttpListenerContext context, int number);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException) { }
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerOrGiveUpAsync(context));
        }
    }

    private async Task AnswerOrGiveUpAsync(HttpListenerContext context)
    {
        try
        {
            await AnswerAsync(context, Interlocked.Increment(ref _requestCount));
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up on this request (timeout) or the server is stopping.
        }
    }

    private static (HttpListener, Uri) StartOnFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var root = new Uri($"http://127.0.0.1:{FreePort()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(root.AbsoluteUri);
            try
            {
                listener.Start();
                return (listener, root);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // another process took the port between probe and start: try another
            }
        }
    }
}
