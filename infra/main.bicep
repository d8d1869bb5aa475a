// The Azure host of the personal agendas pipeline (docs/azure.md): a Linux Flex Consumption function app running the
// Durable Functions orchestration, its storage (artifacts, inputs, Durable task hub, deployment package), Key Vault for
// the Neo4j and Azure OpenAI secrets, Application Insights, and the role assignments of the app's managed identity.
// Plain resource declarations only (no registry modules). Deployed by `azd up`; compiled in CI with the Bicep CLI.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Primary location for all resources (a region where Flex Consumption is available).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user (azd sets it); gets access to upload inputs and set secrets. Empty: none.')
param principalId string = ''

@description('Events the weekly timer runs, comma-separated, each optionally event=input-folder (default: the event name).')
param weeklyRetrainEvents string = 'vet_lva,ecomm'

@description('NCRONTAB schedule (with seconds, UTC) of the weekly incremental run with ranker retraining.')
param weeklyRetrainSchedule string = '0 0 4 * * 0'

@description('Maximum instances the Flex Consumption app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB (2048 or 4096). Steps fan out, so no activity holds a whole show: measured at 200,000 visitors, the largest activity peaks at 1.1 GB, and host.json runs one activity at a time per instance.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

@description('E-mail addresses the portal\'s alerts (a run failed, no completed weekly run in 8 days) are sent to. Empty: none.')
param alertEmailAddresses array = []

@secure()
@description('Optional: the Neo4j URI (secret neo4j-uri). Empty: leave the secret to be set in Key Vault later.')
param neo4jUri string = ''

@secure()
@description('Optional: the Neo4j user (secret neo4j-username).')
param neo4jUsername string = ''

@secure()
@description('Optional: the Neo4j password (secret neo4j-password).')
param neo4jPassword string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-pipeline-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 13)}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: 'id-pipeline-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    containerNames: ['artifacts', 'inputs', deploymentContainerName]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

// The portal's view of the runs: the workbook and the alerts over the app's Application Insights (docs/azure.md).
module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: resourceGroup
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    location: location
    tags: tags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: resourceGroup
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    location: location
    tags: tags
    actionGroupName: 'ag-pipeline-${resourceToken}'
    alertEmailAddresses: alertEmailAddresses
    weeklyRetrainEvents: weeklyRetrainEvents
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: 'kv-${take(resourceToken, 20)}'
    location: location
    tags: tags
    neo4jUri: neo4jUri
    neo4jUsername: neo4jUsername
    neo4jPassword: neo4jPassword
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'pipeline' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    keyVaultUri: keyVault.outputs.uri
    taskHubName: 'pipeline${take(resourceToken, 20)}'
    weeklyRetrainEvents: weeklyRetrainEvents
    weeklyRetrainSchedule: weeklyRetrainSchedule
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  dependsOn: [roles]
}

// The app's identity gets its roles before the app starts using them.
module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: resourceGroup
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_PIPELINE_NAME string = functionApp.outputs.name
output SERVICE_PIPELINE_URI string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
