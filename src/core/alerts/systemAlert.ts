import type { Severity } from '../rules/language/ruleSchema.js'
import type { Alert } from './alert.js'

export interface SystemAlertInput {
  /** trailwarden-… */
  ruleId: string
  title: string
  severity: Severity
  description: string
  runbook?: string
  /** What happened, as a CloudTrail-style name (PipelineSilent, BusRuleDrift, …). */
  eventName: string
  at: number
  details?: Array<[string, string]>
  conditions?: string[]
  /** Distinguishes two notices of one kind; default: the time. */
  key?: string
}

/**
 * An alert trailwarden raises about itself (the pipeline fell silent, the bus rule drifted, two records share an
 * eventID): the same shape as a rule's alert, so every sink, route and renderer handles it. All of it is trusted text.
 */
export function systemAlert(input: SystemAlertInput): Alert {
  const key = input.key ?? String(input.at)
  const alert: Alert = {
    ruleId: input.ruleId,
    title: input.title,
    severity: input.severity,
    description: input.description,
    tags: ['trailwarden'],
    eventKey: `trailwarden:${input.ruleId}:${key}`,
    recordDigest: 'trailwarden',
    eventName: input.eventName,
    eventSource: 'trailwarden',
    // toISOString throws RangeError on an invalid time: a notice about trailwarden itself must not be lost to one.
    eventTime: Number.isFinite(input.at) && Math.abs(input.at) <= 8.64e15 ? new Date(input.at).toISOString() : String(input.at),
    actor: { type: 'Unknown', console: false, service: true, via: 'service', name: 'trailwarden' },
    ecs: {},
    details: input.details ?? [],
    conditions: input.conditions ?? [],
    links: {},
  }
  if (input.runbook) alert.runbook = input.runbook
  return alert
}
