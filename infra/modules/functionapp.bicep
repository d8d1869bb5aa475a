// The function app: Linux, Flex Consumption (FC1), .NET 10 isolated worker, running as the user-assigned identity.
// AzureWebJobsStorage (the Durable task hub, timers, host state) is identity-based; the pipeline's secrets reach it as
// Key Vault references (resolved by the platform with the same identity) and, per graph environment, from the vault
// directly (KEY_VAULT_URI). Flex Consumption sets the runtime in functionAppConfig, not in app settings.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string
param keyVaultName string
param keyVaultUri string
param taskHubName string
param weeklyRetrainEvents string
param weeklyRetrainSchedule string
param maximumInstanceCount int
param instanceMemoryMB int

// App setting -> Key Vault secret (the reference system's names; see src/PipelineFunctions.Infrastructure/Secrets).
var secretSettings = {
  NEO4J_URI: 'neo4j-uri'
  NEO4J_USERNAME: 'neo4j-username'
  NEO4J_PASSWORD: 'neo4j-password'
  AZURE_ENDPOINT: 'azure-endpoint'
  AZURE_API_KEY: 'azure-api-key'
  AZURE_DEPLOYMENT: 'azure-deployment'
  AZURE_API_VERSION: 'azure-api-version'
  // Optional: runs are announced to this Slack or Teams incoming webhook; without the secret, nothing is sent.
  NOTIFY_WEBHOOK_URL: 'notify-webhook-url'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union({
    // Identity-based host storage: the Durable task hub's queues and tables, timer leases, host keys.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // DefaultAzureCredential in the worker (artifacts, inputs, Key Vault, Azure OpenAI) picks this identity.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    DURABLE_TASK_HUB_NAME: taskHubName
    WEEKLY_RETRAIN_SCHEDULE: weeklyRetrainSchedule
    WEEKLY_RETRAIN_EVENTS: weeklyRetrainEvents
    PIPELINE_ARTIFACTS: '${blobEndpoint}artifacts'
    PIPELINE_INPUTS: '${blobEndpoint}inputs'
    KEY_VAULT_URI: keyVaultUri
  }, toObject(items(secretSettings), entry => entry.key, entry => '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${entry.value})'))
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
