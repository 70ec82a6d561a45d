import type { Event } from '@aws-sdk/client-cloudtrail'
import { type IntakeLimits, parseBody } from '../../core/intake/parseBody.js'
import { type Rejection, rejection } from '../../core/intake/rejection.js'
import type { IntakeRecord } from '../../core/intake/types.js'

/** An event of a page that did not give a record, named by its EventId (the wrapper's, which does not depend on the string). */
export interface UnreadEvent {
  eventId: string
  rejection: Rejection
}

/**
 * A page of LookupEvents results → CloudTrail records, through the same intake as every other body: each
 * `CloudTrailEvent` is the whole record as a JSON string (CloudTrail API Reference, Event: "A JSON string that contains
 * a representation of the event returned"), read by parseBody with the daemon's limits. One that is missing, not
 * JSON, or not a record is counted and named by its EventId; the others are read.
 */
export function eventRecords(events: readonly Event[], limits: IntakeLimits): { records: IntakeRecord[], unread: UnreadEvent[] } {
  const records: IntakeRecord[] = []
  const unread: UnreadEvent[] = []
  for (const e of events) {
    const eventId = typeof e.EventId === 'string' ? e.EventId.slice(0, 100) : '(no EventId)'
    if (typeof e.CloudTrailEvent !== 'string') {
      unread.push({ eventId, rejection: rejection('missing-fields', 'the result has no CloudTrailEvent string') })
      continue
    }
    const parsed = parseBody(e.CloudTrailEvent, limits)
    records.push(...parsed.records)
    for (const r of parsed.rejections) unread.push({ eventId, rejection: { ...r, message: `CloudTrailEvent: ${r.message}` } })
  }
  return { records, unread }
}
