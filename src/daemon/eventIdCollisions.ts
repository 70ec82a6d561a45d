import { LRUCache } from 'lru-cache'
import type { Alert } from '../core/alerts/alert.js'
import { systemAlert } from '../core/alerts/systemAlert.js'

/**
 * CloudTrail gives every call its own eventID; two different records under one eventID mean one of them was forged
 * (or replayed with edits) by someone who can write to the queue. Both are alerted (the idempotency key holds the
 * record's digest), and this raises one notice per eventID. Bounded: eventKeys are at most about 150 characters
 * (normalise hashes longer eventIDs) and the memory keeps the last 20,000.
 */
export function createEventIdCollisions(options: { notify: (alert: Alert) => void, now: () => number, max?: number }) {
  const seen = new LRUCache<string, string>({ max: options.max ?? 20_000 })
  const reported = new LRUCache<string, true>({ max: 1_000 })
  return {
    observe(alert: Alert): void {
      if (alert.recordDigest === 'trailwarden' || alert.recordDigest === 'unavailable') return
      const before = seen.get(alert.eventKey)
      seen.set(alert.eventKey, alert.recordDigest)
      if (before === undefined || before === alert.recordDigest || reported.has(alert.eventKey)) return
      reported.set(alert.eventKey, true)
      options.notify(systemAlert({
        ruleId: 'trailwarden-event-id-collision',
        title: 'Two different CloudTrail records share one eventID',
        severity: 'high',
        description: 'CloudTrail never reuses an eventID. One of these records did not come from CloudTrail: someone who can send to trailwarden\'s queue sent a record with a real event\'s id. Both were alerted.',
        runbook: 'Compare both records in CloudTrail (Event history, by the event id); review who may sqs:SendMessage to the queue (its queue policy) and events:PutEvents to the bus.',
        eventName: 'EventIdCollision',
        at: options.now(),
        key: `${alert.eventKey}:${alert.recordDigest}`,
        details: [['event key', alert.eventKey], ['record digests', `${before} and ${alert.recordDigest}`]],
      }))
    },
  }
}
