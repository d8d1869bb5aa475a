// Key Vault (RBAC authorization) for the reference system's secrets: neo4j-uri, neo4j-username, neo4j-password, their
// per-environment variants neo4j-uri-<env> / neo4j-password-<env>, and azure-endpoint, azure-api-key,
// azure-deployment, azure-api-version; and the optional notify-webhook-url (the Slack or Teams incoming webhook runs are
// announced to). Only the Neo4j defaults can be set here (optional secure parameters); set the others with
// `az keyvault secret set` (docs/azure.md). The app reads them as Key Vault references and directly.
param name string
param location string
param tags object

@secure()
param neo4jUri string

@secure()
param neo4jUsername string

@secure()
param neo4jPassword string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource neo4jUriSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(neo4jUri)) {
  parent: vault
  name: 'neo4j-uri'
  properties: { value: neo4jUri }
}

resource neo4jUsernameSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(neo4jUsername)) {
  parent: vault
  name: 'neo4j-username'
  properties: { value: neo4jUsername }
}

resource neo4jPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(neo4jPassword)) {
  parent: vault
  name: 'neo4j-password'
  properties: { value: neo4jPassword }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
