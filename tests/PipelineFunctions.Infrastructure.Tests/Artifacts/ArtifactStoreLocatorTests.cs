using PipelineFunctions.Core;
using PipelineFunctions.Core.Artifacts;
using PipelineFunctions.Infrastructure.Artifacts;

namespace PipelineFunctions.Infrastructure.Tests.Artifacts;

public sealed class ArtifactStoreLocatorTests : IDisposable
{
    // Looks like a real key (base64, 64 bytes) so the SDK accepts it; never valid anywhere.
    private const string FakeAccountKey = "VGhpc0lzTm90QVJlYWxLZXlCdXRJdExvb2tzTGlrZU9uZVRoaXNJc05vdEFSZWFsS2V5QnV0SXRMb29rcw==";

    private readonly string _sandbox = Directory.CreateTempSubdirectory("pf-locator-").FullName;

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Fact]
    public void An_absolute_folder_path_opens_a_file_store_there()
    {
        var folder = Path.Combine(_sandbox, "artifacts store");

        var store = Assert.IsType<FileArtifactStore>(ArtifactStoreLocator.Open(folder));

        Assert.Equal(folder + Path.DirectorySeparatorChar, store.RootFolder);
        Assert.Equal(new Uri(folder + "/"), store.Root);
    }

    [Fact]
    public void A_relative_folder_path_is_resolved_against_the_current_directory()
    {
        var store = Assert.IsType<FileArtifactStore>(ArtifactStoreLocator.Open("out/artifacts"));

        Assert.Equal(Path.GetFullPath("out/artifacts") + Path.DirectorySeparatorChar, store.RootFolder);
    }

    [Fact]
    public void A_file_uri_opens_a_file_store_at_its_local_path()
    {
        var folder = Path.Combine(_sandbox, "from uri");

        var store = Assert.IsType<FileArtifactStore>(ArtifactStoreLocator.Open(new Uri(folder).AbsoluteUri));

        Assert.Equal(folder + Path.DirectorySeparatorChar, store.RootFolder);
    }

    [Fact]
    public void A_path_to_an_existing_file_is_refused()
    {
        var file = Path.Combine(_sandbox, "not-a-folder.csv");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<PipelineInputException>(() => ArtifactStoreLocator.Open(file));

        Assert.Contains("is a file, not a folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(file, error.File);
    }

    [Fact]
    public void Development_storage_opens_the_default_container_on_local_Azurite()
    {
        var store = Assert.IsType<BlobArtifactStore>(ArtifactStoreLocator.Open("UseDevelopmentStorage=true"));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/pipeline/"), store.Root);
        Assert.Equal(ArtifactStoreLocator.DefaultContainer, store.ContainerName);
    }

    [Fact]
    public void A_container_segment_picks_the_container_and_an_optional_prefix()
    {
        var store = Assert.IsType<BlobArtifactStore>(ArtifactStoreLocator.Open("UseDevelopmentStorage=true;Container=events/vet_lva"));

        Assert.Equal("events", store.ContainerName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/events/vet_lva/"), store.Root);
    }

    [Fact]
    public void An_account_key_connection_string_opens_a_blob_store_on_that_endpoint()
    {
        var store = ArtifactStoreLocator.Open(
            $"DefaultEndpointsProtocol=https;AccountName=pfdata;AccountKey={FakeAccountKey};" +
            "BlobEndpoint=https://pfdata.blob.core.windows.net/;Container=artifacts");

        Assert.IsType<BlobArtifactStore>(store);
        Assert.Equal(new Uri("https://pfdata.blob.core.windows.net/artifacts/"), store.Root);
    }

    [Fact]
    public void A_connection_string_with_an_endpoint_suffix_derives_the_blob_endpoint()
    {
        var store = ArtifactStoreLocator.Open(
            $"DefaultEndpointsProtocol=https;AccountName=pfdata;AccountKey={FakeAccountKey};EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://pfdata.blob.core.windows.net/pipeline/"), store.Root);
    }

    [Theory]
    [InlineData("https://pfdata.blob.core.windows.net/artifacts", "https://pfdata.blob.core.windows.net/artifacts/")]
    [InlineData("https://pfdata.blob.core.windows.net/artifacts/", "https://pfdata.blob.core.windows.net/artifacts/")]
    [InlineData("https://pfdata.blob.core.windows.net/artifacts/events/vet_lva", "https://pfdata.blob.core.windows.net/artifacts/events/vet_lva/")]
    [InlineData("https://pfdata.blob.core.windows.net/artifacts/lvs%202024/", "https://pfdata.blob.core.windows.net/artifacts/lvs%202024/")]
    public void A_blob_url_opens_a_blob_store_signed_in_with_DefaultAzureCredential(string location, string expectedRoot)
    {
        var store = Assert.IsType<BlobArtifactStore>(ArtifactStoreLocator.Open(location));

        Assert.Equal(expectedRoot, store.Root.AbsoluteUri);
        Assert.Equal("artifacts", store.ContainerName);
    }

    [Fact]
    public void A_blob_url_with_a_SAS_token_keeps_the_token_out_of_the_store_uris()
    {
        var store = ArtifactStoreLocator.Open(
            "https://pfdata.blob.core.windows.net/artifacts/runs?sv=2024-08-04&sr=c&sp=rwdl&sig=TopSecretSignature%3D");

        Assert.Equal(new Uri("https://pfdata.blob.core.windows.net/artifacts/runs/"), store.Root);
        Assert.DoesNotContain("TopSecret", store.GetUri(ArtifactPath.Parse("a.csv")).AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain("TopSecret", store.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_SAS_connection_string_keeps_the_token_out_of_the_store_uris()
    {
        var store = ArtifactStoreLocator.Open(
            "BlobEndpoint=https://pfdata.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&sig=TopSecretSignature;" +
            "Container=artifacts");

        Assert.Equal(new Uri("https://pfdata.blob.core.windows.net/artifacts/"), store.Root);
        Assert.DoesNotContain("TopSecret", store.GetUri(ArtifactPath.Parse("a.csv")).AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "no artifact store location given")]
    [InlineData("   ", "no artifact store location given")]
    [InlineData("s3://bucket/artifacts", "'s3' is not a supported scheme")]
    [InlineData("ftp://files.example.com/artifacts", "'ftp' is not a supported scheme")]
    [InlineData("https://pfdata.blob.core.windows.net/", "names no container")]
    [InlineData("https://pfdata.blob.core.windows.net/Bad_Container/x", "'Bad_Container' is not a valid container name")]
    [InlineData("http://pfdata.blob.core.windows.net/artifacts", "needs a SAS token")]
    [InlineData("UseDevelopmentStorage=true;Container=ab", "'ab' is not a valid container name")]
    [InlineData("UseDevelopmentStorage=true;Container=a--b", "'a--b' is not a valid container name")]
    [InlineData("UseDevelopmentStorage=true;Container=events/../x", "the prefix '../x' inside the container is not valid")]
    [InlineData("AccountName=pfdata;Container=artifacts;oops", "is not of the form name=value")]
    [InlineData("DefaultEndpointsProtocol=https;Container=artifacts", "is not a valid Azure Storage connection string")]
    [InlineData("file:///tmp/x?y=1", "cannot have a query")]
    public void Unusable_locations_are_refused_with_the_accepted_forms(string location, string problem)
    {
        var error = Assert.Throws<PipelineInputException>(() => ArtifactStoreLocator.Open(location));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("accepted forms:", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://<account>.blob.core.windows.net/<container>", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(location.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=pfdata;AccountKey=TopSecretKey0123==;Container=Bad_Name", "AccountKey=***")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=pfdata;accountkey = TopSecretKey0123==;Container=Bad_Name", "accountkey=***")]
    [InlineData("DefaultEndpointsProtocol=https;AccountKey=TopSecretKey0123==", "AccountKey=***")]
    [InlineData("BlobEndpoint=https://pfdata.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=TopSecretKey0123;Container=x",
        "SharedAccessSignature=***")]
    [InlineData("https://pfdata.blob.core.windows.net/?sv=2024&sig=TopSecretKey0123", "&sig=***")]
    [InlineData("http://pfdata.blob.core.windows.net/Bad_Name?sig=TopSecretKey0123&sv=2024", "?sig=***")]
    public void Secrets_never_appear_in_the_refusal(string location, string masked)
    {
        var error = Assert.Throws<PipelineInputException>(() => ArtifactStoreLocator.Open(location));

        foreach (var text in new[] { error.Message, error.File, error.ToString() })
            Assert.DoesNotContain("TopSecretKey0123", text, StringComparison.Ordinal);
        Assert.Contains(masked, error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException); // an SDK exception could quote the connection string
    }

    [Fact]
    public void A_working_account_key_connection_string_does_not_leak_into_the_store()
    {
        var store = ArtifactStoreLocator.Open($"DefaultEndpointsProtocol=https;AccountName=pfdata;AccountKey={FakeAccountKey}");

        Assert.DoesNotContain(FakeAccountKey, store.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", store.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("AccountName=a;AccountKey=abc==;BlobEndpoint=x", "AccountName=a;AccountKey=***;BlobEndpoint=x")]
    [InlineData("SharedAccessSignature=sv=1&sig=abc;BlobEndpoint=x", "SharedAccessSignature=***;BlobEndpoint=x")]
    [InlineData("https://a.blob.core.windows.net/c?sv=1&sig=abc%3D&se=2", "https://a.blob.core.windows.net/c?sv=1&sig=***&se=2")]
    [InlineData("/plain/folder", "/plain/folder")]
    public void MaskSecrets_hides_keys_and_signatures_only(string text, string expected)
    {
        Assert.Equal(expected, ArtifactStoreLocator.MaskSecrets(text));
    }
}
