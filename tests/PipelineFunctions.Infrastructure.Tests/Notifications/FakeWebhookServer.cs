using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PipelineFunctions.Infrastructure.Tests.Notifications;

/// <summary>
/// A loopback incoming webhook (HttpListener on 127.0.0.1, a free port) that takes posts under a secret-looking path, as
/// Slack's <c>/services/T…/B…/token</c> does. It answers 200 "ok" unless <see cref="Script"/> says otherwise for a
/// request number (1-based): another status, or an answer only after a delay.
/// </summary>
public sealed class FakeWebhookServer : IAsyncDisposable
{
    /// <summary>The part of the URL that must never be seen anywhere but in the request itself.</summary>
    public const string Token = "Tq9SECRETwebhookTOKEN3xZ";

    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private int _requestCount;

    public FakeWebhookServer()
    {
        (_listener, var root) = StartOnFreePort();
        Url = new Uri(root, $"services/T0001/B0002/{Token}");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    /// <summary>Request number (1-based) to (status, delay before answering); null: 200 at once.</summary>
    public Func<int, (int Status, TimeSpan Delay)?> Script { get; set; } = _ => null;

    /// <summary>Every post received, answered or not: its path, content type and body.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, string Body)> Requests { get; } = new();

    /// <summary>A URL on loopback where nothing listens (a port just freed), with the same secret path.</summary>
    public static Uri Unreachable()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/services/T0001/B0002/{Token}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException) { }
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(context)); // concurrently: a delayed answer must not hold up the retry behind it
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var number = Interlocked.Increment(ref _requestCount);
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, await reader.ReadToEndAsync()));
            var (status, delay) = Script(number) ?? (200, TimeSpan.Zero);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _stopping.Token);
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(status == 200 ? "ok" : "scripted failure");
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
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
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var root = new Uri($"http://127.0.0.1:{port}/");
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
