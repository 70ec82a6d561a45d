import type { Alert } from '../alerts/alert.js'
import type { NormalisedEvent } from '../intake/types.js'
import type { Match } from '../rules/engine/evaluate.js'

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * The alert delivered when building the full one failed: the rule's own (trusted) words, the event's identity and
 * nothing else read from the event, so the match still reaches a human, saying that the details could not be shown.
 */
export function fallbackAlert(match: Match, event: NormalisedEvent, reason: string): Alert {
  const { rule, severity } = match
  const alert: Alert = {
    ruleId: rule.id,
    title: rule.title,
    severity,
    description: `${rule.description}\n\ntrailwarden could not show this event's details (${reason}); look the event up in CloudTrail by its id.`,
    tags: rule.tags,
    eventKey: event.context.eventKey,
    recordDigest: 'unavailable',
    eventName: text(event.record.eventName) ?? 'unknown',
    eventSource: text(event.record.eventSource) ?? 'unknown',
    eventTime: text(event.record.eventTime) ?? new Date(0).toISOString(),
    actor: { type: 'Unknown', console: false, service: false, via: 'unknown' },
    ecs: {},
    details: [],
    conditions: [],
    links: {},
  }
  const eventId = text(event.record.eventID)
  if (eventId) alert.eventId = eventId
  if (rule.runbook) alert.runbook = rule.runbook
  if (rule.notify) alert.notify = rule.notify
  return alert
}
