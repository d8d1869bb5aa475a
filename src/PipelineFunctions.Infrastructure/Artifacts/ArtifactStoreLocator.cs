using System.Text.RegularExpressions;
using Azure.Identity;
using Azure.Storage.Blobs;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;

namespace PipelineFunctions.Infrastructure.Artifacts;

/// <summary>Turns the artifact store location a user types (CLI option, config value) into a store.</summary>
public static partial class ArtifactStoreLocator
{
    /// <summary>Container used when a connection string names none.</summary>
    public const string DefaultContainer = "pipeline";

    public const string AcceptedForms =
        "accepted forms: a folder path (relative or absolute); a file:/// URI; an Azure Storage connection string " +
        "(UseDevelopmentStorage=true, or DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;BlobEndpoint=...) " +
        $"with an optional Container=<name>[/<prefix>] segment (default container '{DefaultContainer}'); " +
        "or a blob URL https://<account>.blob.core.windows.net/<container>[/<prefix>] " +
        "(signed in with DefaultAzureCredential, or with a SAS token in its query)";

    // Keys that mark a connection string. "Container" is ours; the rest are Azure Storage's.
    private static readonly HashSet<string> ConnectionStringKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DevelopmentStorageProxyUri", "DefaultEndpointsProtocol", "AccountName", "AccountKey",
        "BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint", "EndpointSuffix", "SharedAccessSignature", "Container",
    };

    public static IArtifactStore Open(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
            throw Rejected(location ?? "", "no artifact store location given");
        var trimmed = location.Trim();

        if (UriScheme().IsMatch(trimmed)) return OpenUri(trimmed);
        if (LooksLikeConnectionString(trimmed)) return OpenConnectionString(trimmed);
        return OpenFolder(trimmed, trimmed);
    }

    /// <summary>
    /// The text with account keys and SAS signatures replaced by "***", for messages and logs.
    /// </summary>
    public static string MaskSecrets(string text)
    {
        var masked = ConnectionStringSecret().Replace(text, m => m.Groups["key"].Value + "=***");
        return SasSignature().Replace(masked, m => m.Groups["key"].Value + "=***");
    }

    private static IArtifactStore OpenUri(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
            throw Rejected(location, "is not a valid URI");

        if (uri.Scheme == Uri.UriSchemeFile)
        {
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
                throw Rejected(location, "a file URI cannot have a query or fragment");
            if (uri.IsUnc && !OperatingSystem.IsWindows())
                throw Rejected(location, "a file URI with a host (UNC path) only works on Windows; use file:///<absolute path>");
            return OpenFolder(uri.LocalPath, location);
        }
        if (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            return OpenBlobUrl(uri, location);

        throw Rejected(location, $"'{uri.Scheme}' is not a supported scheme (for a folder whose name contains ':', write it as ./<name>)");
    }

    private static IArtifactStore OpenFolder(string folder, string location)
    {
        string full;
        try
        {
            full = Path.GetFullPath(folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Rejected(location, "is not a valid folder path");
        }
        if (File.Exists(full))
            throw Rejected(location, $"'{full}' is a file, not a folder");
        return new FileArtifactStore(full);
    }

    private static IArtifactStore OpenBlobUrl(Uri uri, string location)
    {
        var blobUri = new BlobUriBuilder(uri);
        var hasSas = !string.IsNullOrEmpty(blobUri.Sas?.Signature);
        if (uri.Scheme == Uri.UriSchemeHttp && !hasSas)
            // Azure.Core refuses bearer tokens over plain http, so DefaultAzureCredential could never work here.
            throw Rejected(location,
                "an http:// blob URL needs a SAS token in its query (signing in needs https); for Azurite use a connection string");
        if (string.IsNullOrEmpty(blobUri.BlobContainerName))
            throw Rejected(location, "names no container: expected https://<account>.blob.core.windows.net/<container>[/<prefix>]");
        if (!IsValidContainerName(blobUri.BlobContainerName))
            throw Rejected(location, ContainerNameProblem(blobUri.BlobContainerName));

        var prefix = blobUri.BlobName;
        blobUri.BlobName = "";
        var container = hasSas
            ? new BlobContainerClient(blobUri.ToUri())
            : new BlobContainerClient(blobUri.ToUri(), new DefaultAzureCredential());
        return CreateBlobStore(container, prefix, location);
    }

    private static IArtifactStore OpenConnectionString(string location)
    {
        var kept = new List<string>();
        string? containerSegment = null;
        foreach (var segment in location.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=');
            if (equals <= 0)
                throw Rejected(location, $"connection string segment '{MaskSecrets(segment)}' is not of the form name=value");
            if (segment[..equals].Trim().Equals("Container", StringComparison.OrdinalIgnoreCase))
                containerSegment = segment[(equals + 1)..].Trim();
            else
                kept.Add(segment);
        }

        var (containerName, prefix) = SplitContainerAndPrefix(containerSegment ?? DefaultContainer);
        if (!IsValidContainerName(containerName))
            throw Rejected(location, ContainerNameProblem(containerName));

        BlobServiceClient service;
        try
        {
            service = new BlobServiceClient(string.Join(';', kept));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message is left out on purpose: it may quote parts of the connection string.
            throw Rejected(location, "is not a valid Azure Storage connection string");
        }
        return CreateBlobStore(service.GetBlobContainerClient(containerName), prefix, location);
    }

    private static IArtifactStore CreateBlobStore(BlobContainerClient container, string prefix, string location)
    {
        var folder = prefix.TrimEnd('/');
        if (folder.Length > 0 && !ArtifactPath.TryParse(folder, out _, out var problem))
            throw Rejected(location, $"the prefix '{folder}' inside the container is not valid: {problem}");
        return new BlobArtifactStore(container, folder);
    }

    private static (string Container, string Prefix) SplitContainerAndPrefix(string value)
    {
        var slash = value.IndexOf('/');
        return slash < 0 ? (value, "") : (value[..slash], value[(slash + 1)..]);
    }

    private static bool LooksLikeConnectionString(string location) =>
        location.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(segment => segment.IndexOf('=') is > 0 and var equals && ConnectionStringKeys.Contains(segment[..equals].Trim()));

    private static bool IsValidContainerName(string name) => ContainerName().IsMatch(name) && !name.Contains("--");

    private static string ContainerNameProblem(string name) =>
        $"'{name}' is not a valid container name (3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit)";

    private static PipelineInputException Rejected(string location, string problem) =>
        new(MaskSecrets(location), $"{problem}. Not a usable artifact store location; {AcceptedForms}");

    // Two or more letters, so a Windows drive ("C:\data") is not mistaken for a scheme.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]+:")]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();

    [GeneratedRegex(@"(?<key>AccountKey|SharedAccessSignature)\s*=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"(?<key>[?&]sig)=[^&#;]*", RegexOptions.IgnoreCase)]
    private static partial Regex SasSignature();
}
