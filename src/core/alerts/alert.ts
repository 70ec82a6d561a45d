import type { Actor, EcsContext } from '../intake/types.js'
import type { Severity } from '../rules/language/ruleSchema.js'

/**
 * One request parameter as the alert shows it. The label is trailwarden's own text unless marked 'event' (an unknown
 * API's parameters are shown by their own keys): renderers show such a label inert, like every value.
 */
export type Detail = [label: string, value: string, labelFrom?: 'event']

/** Everything an alert shows, already redacted; event-derived text is still untrusted and escaped at render time. */
export interface Alert {
  ruleId: string
  title: string
  severity: Severity
  description: string
  runbook?: string
  tags: string[]
  /** recipient account + eventID: the event's identity. */
  eventKey: string
  /**
   * SHA-256 (first 16 hex characters) of the record as received. With eventKey, ruleId and channel it is the
   * idempotency key, so a different record that reuses a real event's eventID cannot suppress the real one.
   */
  recordDigest: string
  eventId?: string
  eventName: string
  eventSource: string
  eventTime: string
  actor: Actor
  sourceIp?: string
  userAgent?: string
  account?: string
  accountAlias?: string
  region?: string
  env?: string
  ecs: EcsContext
  errorCode?: string
  errorMessage?: string
  /** The request parameters that matter for this API, as label/value pairs (secrets redacted). */
  details: Detail[]
  /**
   * What the call changed, from → to, one short line each (`desiredCount 3 → 0`, `+ env FEATURE_X`): redacted and
   * bounded, event-derived (escaped at render time). Absent when no change was derived (core/change).
   */
  changes?: string[]
  /** The rule's conditions, as written (trusted: they come from the rule file). */
  conditions: string[]
  links: { cloudtrail?: string, ecs?: string }
  /** Present when the rule deduplicates: matches with the same key inside the window thread under the first. */
  dedup?: { key: string, windowMs: number }
  notify?: { channel?: string, mention?: string }
  /**
   * Set when part of the event could not be read into the alert (the reason, as text): the alert is still delivered,
   * with what could be read, and says so.
   */
  incomplete?: string
  /**
   * The other rules the same event matched for the same channel, shown in the same message after this alert's own
   * (the leading, most severe) finding: one message per API call per channel (core/decide/groupAlerts.ts). Absent
   * when the event matched one rule there.
   */
  also?: Finding[]
}

/** One rule's part of a grouped alert: what it found, why, and what to do; the event's facts are the alert's. */
export interface Finding {
  ruleId: string
  title: string
  severity: Severity
  description: string
  runbook?: string
  tags: string[]
  conditions: string[]
  dedup?: { key: string, windowMs: number }
  notify?: { channel?: string, mention?: string }
}
