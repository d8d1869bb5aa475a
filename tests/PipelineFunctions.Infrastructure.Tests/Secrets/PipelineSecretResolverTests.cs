using System.Net;
using PipelineFunctions.Core;
using PipelineFunctions.Core.Events;
using PipelineFunctions.Infrastructure.Artifacts;
using PipelineFunctions.Infrastructure.Embeddings;
using PipelineFunctions.Infrastructure.Secrets;
using PipelineFunctions.Infrastructure.Tests.Embeddings;

namespace PipelineFunctions.Infrastructure.Tests.Secrets;

/// <summary>
/// Key Vault-backed secrets resolved for a graph environment, against <see cref="FakeKeyVault"/> through the SDK's
/// transport: the per-environment preference, app settings before the vault, one clear error for what is missing,
/// and no secret value in any message or ToString.
/// </summary>
public sealed class PipelineSecretResolverTests
{
    private const string PlainPassword = "plain-Pa55word!", ProdPassword = "prod-Pa55word!", ApiKey = "sk-azure-0123456789";

    private readonly FakeKeyVault _vault = new();
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    private PipelineSecretResolver Resolver(TimeProvider? time = null) =>
        new([new AppSettingsSecretSource(name => _settings.GetValueOrDefault(name)), new KeyVaultSecretSource(_vault.Client())], time);

    private void StoreNeo4jSecrets()
    {
        _vault.Secrets["neo4j-uri"] = "neo4j+s://plain.databases.neo4j.io";
        _vault.Secrets["neo4j-uri-prod"] = "neo4j+s://prod.databases.neo4j.io:7687";
        _vault.Secrets["neo4j-username"] = "neo4j";
        _vault.Secrets["neo4j-password"] = PlainPassword;
        _vault.Secrets["neo4j-password-prod"] = ProdPassword;
    }

    [Fact]
    public async Task Per_environment_secrets_are_preferred_over_the_plain_ones()
    {
        StoreNeo4jSecrets();
        var resolver = Resolver();

        var prod = await resolver.ResolveNeo4jAsync("prod");
        Assert.Equal(new Uri("neo4j+s://prod.databases.neo4j.io:7687"), prod.Uri);
        Assert.Equal(ProdPassword, prod.Password);
        Assert.Equal("neo4j-uri-prod", prod.UriSecret);
        Assert.Equal("neo4j", prod.Username);

        // No dev-specific secrets: the plain ones.
        var dev = await resolver.ResolveNeo4jAsync("dev");
        Assert.Equal(new Uri("neo4j+s://plain.databases.neo4j.io"), dev.Uri);
        Assert.Equal(PlainPassword, dev.Password);
        Assert.Equal("neo4j-uri", dev.UriSecret);
        Assert.Equal("dev", dev.Environment);

        // The per-environment name was asked first, through the SDK's challenge authentication.
        Assert.Equal("neo4j-uri-dev", _vault.Requests.First(n => n.StartsWith("neo4j-uri", StringComparison.Ordinal) && n != "neo4j-uri-prod"));
    }

    [Fact]
    public async Task App_settings_come_before_the_vault_but_never_beat_a_more_specific_name()
    {
        StoreNeo4jSecrets();
        _settings["NEO4J_URI"] = "bolt://localhost:7687";
        _settings["NEO4J_PASSWORD"] = "local-password";
        // A Key Vault reference the platform could not resolve is not a value: the vault is asked instead.
        _settings["NEO4J_USERNAME"] = "@Microsoft.KeyVault(VaultName=fake-vault;SecretName=neo4j-username)";
        var resolver = Resolver();

        var dev = await resolver.ResolveNeo4jAsync("dev");
        Assert.Equal(new Uri("bolt://localhost:7687"), dev.Uri);
        Assert.Equal("local-password", dev.Password);
        Assert.Equal("neo4j", dev.Username);

        var prod = await resolver.ResolveNeo4jAsync("prod");
        Assert.Equal("prod.databases.neo4j.io", prod.Uri.Host);
        Assert.Equal(ProdPassword, prod.Password);
    }

    [Fact]
    public async Task Missing_secrets_are_one_error_naming_every_missing_secret_and_no_value()
    {
        _vault.Secrets["neo4j-username"] = "neo4j";
        _vault.Secrets["neo4j-password"] = PlainPassword;

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveNeo4jAsync("test"));

        Assert.Contains("neo4j-uri-test or neo4j-uri", error.Message);
        Assert.Contains("NEO4J_URI_TEST", error.Message);
        Assert.Contains(FakeKeyVault.VaultUri.ToString(), error.Message);
        Assert.Equal("neo4j-uri-test", error.Field);
        Assert.DoesNotContain("password", error.Field);
        Assert.DoesNotContain(PlainPassword, error.ToString());

        _vault.Secrets.Clear();
        var all = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveNeo4jAsync("prod"));
        Assert.Contains("neo4j-uri-prod or neo4j-uri; neo4j-username; neo4j-password-prod or neo4j-password are not set", all.Message);
    }

    [Fact]
    public async Task A_malformed_value_is_named_by_its_secret_without_showing_the_value()
    {
        StoreNeo4jSecrets();
        _vault.Secrets["neo4j-uri-prod"] = "https://user:" + ProdPassword + "@not-bolt.example";

        var error = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveNeo4jAsync("prod"));

        Assert.Equal("neo4j-uri-prod", error.Field);
        Assert.Contains("is not a Neo4j URI", error.Message);
        Assert.DoesNotContain(ProdPassword, error.ToString());
        Assert.DoesNotContain("not-bolt.example", error.ToString());
    }

    [Fact]
    public async Task A_vault_that_refuses_is_a_source_error_with_status_and_code_but_no_body()
    {
        StoreNeo4jSecrets();
        _vault.Failures["neo4j-password-prod"] = (HttpStatusCode.Forbidden, "Forbidden");

        var error = await Assert.ThrowsAsync<SecretSourceException>(() => Resolver().ResolveNeo4jAsync("prod"));

        Assert.Contains("'neo4j-password-prod'", error.Message);
        Assert.Contains("HTTP 403 (Forbidden)", error.Message);
        Assert.Contains("Key Vault Secrets User", error.Message);
        Assert.DoesNotContain("scripted failure", error.Message);
        Assert.DoesNotContain(PlainPassword, error.ToString());
        Assert.DoesNotContain(ProdPassword, error.ToString());
    }

    [Fact]
    public async Task Settings_records_never_show_passwords_keys_or_credentials_in_the_uri()
    {
        StoreNeo4jSecrets();
        _vault.Secrets["neo4j-uri-prod"] = $"neo4j+s://neo4j:{ProdPassword}@prod.databases.neo4j.io";
        _vault.Secrets["azure-endpoint"] = "https://my-resource.openai.azure.com/";
        _vault.Secrets["azure-deployment"] = "text-embedding-3-small";
        _vault.Secrets["azure-api-key"] = ApiKey;

        var secrets = await Resolver().ResolveAsync("prod");

        Assert.Equal(ProdPassword, secrets.Neo4j.Password);
        Assert.Equal(ApiKey, secrets.AzureOpenAI!.ApiKey);
        foreach (var text in new[] { secrets.ToString(), secrets.Neo4j.ToString(), secrets.AzureOpenAI.ToString(), $"{secrets}" })
        {
            Assert.DoesNotContain(ProdPassword, text);
            Assert.DoesNotContain(ApiKey, text);
            Assert.Contains("(set)", text);
        }
        Assert.Contains("prod.databases.neo4j.io", secrets.Neo4j.ToString());
        Assert.Equal("neo4j+s://prod.databases.neo4j.io", secrets.Neo4j.DisplayUri);
    }

    [Fact]
    public async Task Azure_OpenAI_is_optional_but_endpoint_and_deployment_go_together()
    {
        Assert.Null(await Resolver().ResolveAzureOpenAIAsync());

        _vault.Secrets["azure-endpoint"] = "https://my-resource.openai.azure.com/";
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveAzureOpenAIAsync());
        Assert.Contains("azure-deployment is not set", error.Message);
        Assert.Equal("azure-deployment", error.Field);

        _vault.Secrets["azure-deployment"] = "text-embedding-3-small";
        _vault.Secrets["azure-api-version"] = "2024-10-21";
        var settings = await Resolver().ResolveAzureOpenAIAsync();
        Assert.Equal(new Uri("https://my-resource.openai.azure.com/"), settings!.Endpoint);
        Assert.Equal("text-embedding-3-small", settings.Deployment);
        Assert.Equal("2024-10-21", settings.ApiVersion);
        Assert.Null(settings.ApiKey); // Microsoft Entra ID

        _vault.Secrets["azure-endpoint"] = "contoso-embeddings.openai.azure.com";
        var malformed = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveAzureOpenAIAsync());
        Assert.Equal("azure-endpoint", malformed.Field);
        Assert.DoesNotContain("contoso-embeddings", malformed.ToString());
    }

    [Fact]
    public async Task Results_are_cached_for_a_while_then_read_again()
    {
        StoreNeo4jSecrets();
        var time = new ManualTime();
        var resolver = Resolver(time);

        await resolver.ResolveNeo4jAsync("prod");
        var asked = _vault.Requests.Count;
        await resolver.ResolveNeo4jAsync("prod");
        Assert.Equal(asked, _vault.Requests.Count);

        _vault.Secrets["neo4j-password-prod"] = "rotated";
        time.Advance(PipelineSecretResolver.DefaultCacheDuration + TimeSpan.FromSeconds(1));
        Assert.Equal("rotated", (await resolver.ResolveNeo4jAsync("prod")).Password);
        Assert.True(_vault.Requests.Count > asked);
    }

    [Fact]
    public async Task An_unknown_environment_is_refused_before_any_lookup()
    {
        var error = await Assert.ThrowsAsync<PipelineInputException>(() => Resolver().ResolveNeo4jAsync("staging"));
        Assert.Equal("graphEnvironment", error.Field);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task The_embedder_provider_reads_Azure_OpenAI_secrets_only_for_the_azure_openai_generator()
    {
        var folder = Directory.CreateTempSubdirectory("pa-secret-embedder-");
        try
        {
            var provider = new SecretBackedSessionEmbedderProvider(ArtifactStoreLocator.Open(folder.FullName), Resolver());
            var corpus = SampleSessionTexts.Of("vet_lva").Select(s => s.Text).Take(40).ToList();

            using (var local = await provider.GetAsync(Config(), corpus, refit: false, CancellationToken.None))
                Assert.NotNull(local.Generator);
            Assert.Empty(_vault.Requests);

            var error = await Assert.ThrowsAsync<PipelineInputException>(() =>
                provider.GetAsync(Config(y => y.Replace("generator: local", "generator: azure_openai")), corpus, refit: false,
                    CancellationToken.None));
            Assert.Equal("embeddings.generator", error.Field);
            Assert.Contains("azure-endpoint", _vault.Requests);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Setting_names_and_candidates_follow_the_reference_names()
    {
        Assert.Equal("NEO4J_PASSWORD_PROD", PipelineSecretNames.SettingName("neo4j-password-prod"));
        Assert.Equal(["neo4j-uri-test", "neo4j-uri"], PipelineSecretNames.Candidates(PipelineSecretNames.Neo4jUri, "test"));
        Assert.Equal(["neo4j-username"], PipelineSecretNames.Candidates(PipelineSecretNames.Neo4jUsername, "test"));
        Assert.Equal(["azure-api-key"], PipelineSecretNames.Candidates(PipelineSecretNames.AzureApiKey, null));
        Assert.Equal(typeof(AzureOpenAIEmbeddingSettings),
            typeof(PipelineFunctions.Infrastructure.Secrets.PipelineSecrets).GetProperty("AzureOpenAI")!.PropertyType);
    }

    private static EventConfig Config(Func<string, string>? edit = null)
    {
        var path = Path.Combine(RepositoryRoot(), "config", "events", "vet_lva.yaml");
        return EventConfigLoader.Parse((edit ?? (y => y))(File.ReadAllText(path)), path);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (Directory.Exists(Path.Combine(folder.FullName, "config", "events"))) return folder.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 5, 4, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
