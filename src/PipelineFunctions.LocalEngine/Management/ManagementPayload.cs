using Microsoft.AspNetCore.Http;

namespace PipelineFunctions.LocalEngine.Management;

/// <summary>
/// Durable Functions' HTTP management payload (what CreateCheckStatusResponse returns), with absolute URIs built from
/// the request's scheme and host. The placeholders {eventName} and {text} are left in, as Durable leaves them.
/// </summary>
public sealed record ManagementPayload(string Id, string StatusQueryGetUri, string SendEventPostUri, string TerminatePostUri,
    string PurgeHistoryDeleteUri)
{
    public const string InstancesPath = "/runtime/webhooks/durabletask/instances";

    public static ManagementPayload For(HttpRequest request, string instanceId)
    {
        var instance = $"{BaseUri(request)}{InstancesPath}/{Uri.EscapeDataString(instanceId)}";
        return new ManagementPayload(instanceId, instance, instance + "/raiseEvent/{eventName}", instance + "/terminate?reason={text}", instance);
    }

    public static string StatusUri(HttpRequest request, string instanceId) => For(request, instanceId).StatusQueryGetUri;

    private static string BaseUri(HttpRequest request) => $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
}
