using System.Collections.Concurrent;
using System.Net;
using System.Text;
using PipelineFunctions.Infrastructure.Tests.Support;

namespace PipelineFunctions.Infrastructure.Tests.Notifications;

/// <summary>
/// A loopback incoming webhook (HttpListener on 127.0.0.1, a free port) that takes posts under a secret-looking path, as
/// Slack's <c>/services/T…/B…/token</c> does. It answers 200 "ok" unless <see cref="Script"/> says otherwise for a
/// request number (1-based): another status, or an answer only after a delay.
/// </summary>
public sealed class FakeWebhookServer : LoopbackHttpServer
{
    /// <summary>The part of the URL that must never be seen anywhere but in the request itself.</summary>
    public const string Token = "Tq9SECRETwebhookTOKEN3xZ";

    public FakeWebhookServer() => Url = new Uri(Root, $"services/T0001/B0002/{Token}");

    public Uri Url { get; }

    /// <summary>Request number (1-based) to (status, delay before answering); null: 200 at once.</summary>
    public Func<int, (int Status, TimeSpan Delay)?> Script { get; set; } = _ => null;

    /// <summary>Every post received, answered or not: its path, content type and body.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, string Body)> Requests { get; } = new();

    /// <summary>A URL on loopback where nothing listens (a port just freed), with the same secret path.</summary>
    public static Uri Unreachable() => new($"http://127.0.0.1:{FreePort()}/services/T0001/B0002/{Token}");

    protected override async Task AnswerAsync(HttpListenerContext context, int number)
    {
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, await reader.ReadToEndAsync()));
        var (status, delay) = Script(number) ?? (200, TimeSpan.Zero);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, Stopping);
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(status == 200 ? "ok" : "scripted failure");
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
