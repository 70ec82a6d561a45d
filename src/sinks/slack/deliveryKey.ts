import type { Alert } from '../../core/alerts/alert.js'
import { ruleIdsOf } from '../../core/alerts/findings.js'
import { memoryKey } from './memoryKey.js'

/**
 * THE idempotency key of a delivery, computed here and nowhere else: the event (recipient account + eventID), the
 * record's digest (a forged record reusing a real eventID is another delivery, #16), the set of rules the message
 * carries and the channel. A grouped alert (one message for every rule an event matched in a channel) is one
 * delivery; its rule ids are sorted, so the same findings give the same key in any order. For one rule the key is
 * what it was before alerts were grouped. The shared state claims deliveries across replicas with this key.
 */
export function deliveryKey(alert: Alert, channel: string): string {
  const ruleIds = [...new Set(ruleIdsOf(alert))].sort()
  // Rule ids are kebab-case (rules/README.md), so a comma cannot occur inside one.
  return memoryKey(alert.eventKey, alert.recordDigest, ruleIds.join(','), channel)
}
