// Alerts on the pipeline's run-ended events in Application Insights, sent to an action group of e-mail receivers:
// a run failed; an event of the weekly timer had no completed weekly run in 8 days. The queries are in infra/alerts.
param applicationInsightsName string
param location string
param tags object
param actionGroupName string

@description('E-mail addresses told of an alert; empty: the alerts fire without anyone being told.')
param alertEmailAddresses array

@description('The weekly timer\'s events, comma-separated, each optionally event=input-folder (WEEKLY_RETRAIN_EVENTS).')
param weeklyRetrainEvents string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var weeklyEvents = filter(map(split(weeklyRetrainEvents, ','), entry => trim(split(entry, '=')[0])), name => !empty(name))

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pa-runs'
    enabled: true
    emailReceivers: [
      for (address, i) in alertEmailAddresses: {
        name: 'email-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

resource runFailed 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'pipeline-run-failed'
  location: location
  tags: tags
  properties: {
    displayName: 'Personal Agendas: a run failed'
    description: 'A pipeline run ended Failed (the run-ended event); the alert names the event and the run id.'
    severity: 1
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('../alerts/run-failed.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'event', operator: 'Include', values: ['*'] }
            { name: 'run_id', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: { actionGroups: [actionGroup.id] }
  }
}

// A log alert looks back at most 2 days per period: four 2-day periods, each without a completed weekly run, make 8 days.
resource weeklyRunMissing 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (!empty(weeklyEvents)) {
  name: 'pipeline-weekly-run-missing'
  location: location
  tags: tags
  properties: {
    displayName: 'Personal Agendas: no completed weekly run in 8 days'
    description: 'An event of the weekly timer has had no completed weekly run (instance weekly-<event>-...) for 8 days.'
    severity: 2
    enabled: true
    scopes: [applicationInsights.id]
    evaluationFrequency: 'P1D'
    windowSize: 'P2D'
    criteria: {
      allOf: [
        {
          query: 'let expectedEvents = dynamic(${string(weeklyEvents)});\n${loadTextContent('../alerts/weekly-run-missing.kql')}'
          timeAggregation: 'Total'
          metricMeasureColumn: 'completed'
          operator: 'LessThan'
          threshold: 1
          dimensions: [
            { name: 'event', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 4, minFailingPeriodsToAlert: 4 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: [actionGroup.id] }
  }
}
