import type { CloudTrailRecord, EventContext } from './types.js'
import { lookup } from '../json.js'

type Read = (record: CloudTrailRecord, context: EventContext) => unknown

/**
 * The top-level fields normalisation adds to what rules see, and where each comes from. They win over any
 * same-named field an event carries (an event cannot forge its own `actor` or `env`); an absent context
 * value stays absent. `source`, `detail-type`, `account`, `region` and `detail` are EventBridge's envelope
 * fields, so a pattern pasted from an EventBridge rule works.
 */
const CONTEXT_FIELDS: Readonly<Record<string, Read>> = {
  'actor': (_, c) => c.actor,
  'ecs': (_, c) => c.ecs,
  'mutating': (_, c) => c.mutating,
  'eventKey': (_, c) => c.eventKey,
  'source': (_, c) => c.source,
  'detail-type': (_, c) => c.detailType,
  'detail': (r) => r,
  'account': (_, c) => c.account,
  'region': (_, c) => c.region,
  'env': (_, c) => c.env,
  'change': (_, c) => c.change,
}

/** The record's own field (never an inherited one: a pattern naming `constructor` finds nothing). */
const recordField = (key: string): Read => (r) => (Object.hasOwn(r, key) ? r[key] : undefined)

/**
 * How to read one top-level field of the subject without building it: chosen once per field name when a
 * rule set is compiled, so matching an event copies nothing.
 */
export const subjectReader = (key: string): Read => lookup(CONTEXT_FIELDS, key) ?? recordField(key)

/** The whole subject as one object (for explain, alert fields and other engines): the same fields subjectReader reads. */
export function subjectOf(record: CloudTrailRecord, context: EventContext): Record<string, unknown> {
  const subject: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    if (Object.hasOwn(CONTEXT_FIELDS, key)) continue
    // An own "__proto__" field (JSON.parse makes one) assigned would set the subject's prototype instead: define it.
    if (key === '__proto__') Object.defineProperty(subject, key, { value: record[key], enumerable: true, writable: true, configurable: true })
    else subject[key] = record[key]
  }
  for (const [key, read] of Object.entries(CONTEXT_FIELDS)) {
    const value = read(record, context)
    if (value !== undefined) subject[key] = value
  }
  return subject
}
