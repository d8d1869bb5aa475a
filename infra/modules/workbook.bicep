// The Azure Monitor workbook "Personal Agendas runs" over the app's Application Insights: runs per event and status,
// step durations, failed runs, recommendations and coverage per run, ranker decisions. Its queries are in
// infra/workbooks/personal-agendas-runs.json and name only what Core's PipelineTelemetryNames emits (a test checks it).
param applicationInsightsName string
param location string
param tags object

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(applicationInsights.id, 'personal-agendas-runs')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Personal Agendas runs'
    category: 'workbook'
    sourceId: toLower(applicationInsights.id)
    serializedData: loadTextContent('../workbooks/personal-agendas-runs.json')
  }
}

output id string = workbook.id
