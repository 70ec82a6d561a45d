import { nonEmptyString as str } from '../json.js'
import type { NormalisedEvent } from '../intake/types.js'
import { actorLabel, howLabel } from './actorLabel.js'
import type { HistoryRow } from './historyRow.js'
import { belongsTo, familyOf, type HistoryTarget } from './historyTarget.js'
import { type ServiceState, summariseChange } from './summariseChange.js'

/**
 * Registrations of any family are read even when they are not rows: a service's history then names the images behind
 * a revision switch (task definition web:43 → web:44 · image web: 1.42.0 → 1.43.0). Callers that filter events first
 * keep these too (history.ts does).
 */
export const informs = (event: NormalisedEvent): boolean => event.record.eventName === 'RegisterTaskDefinition' && event.record.errorCode === undefined

const byTime = (a: NormalisedEvent, b: NormalisedEvent): number => {
  const ta = Date.parse(a.record.eventTime)
  const tb = Date.parse(b.record.eventTime)
  if (ta !== tb) return (Number.isNaN(ta) ? Infinity : ta) - (Number.isNaN(tb) ? Infinity : tb)
  return a.context.eventKey < b.context.eventKey ? -1 : a.context.eventKey > b.context.eventKey ? 1 : 0
}

/**
 * The chronological change history of a service or a task definition family, from events of any source in any order
 * (Event history pages come newest first, region by region; archives come file by file). Oldest first; an event seen
 * twice (overlapping archives, an organisation trail next to an account trail) is one row, by its event key. Each
 * row's "what changed" is worded against the state the earlier rows left (desired count 2 → 4), so a history that
 * starts mid-way says "→ 4" where the event alone cannot tell what was before. A refused call (errorCode) is a row
 * and changes no state. Task definition registrations inform the image changes of a service's rows even when they are
 * not rows themselves. Pure.
 */
export function buildHistory(events: Iterable<NormalisedEvent>, target: HistoryTarget): HistoryRow[] {
  const seen = new Set<string>()
  const mine: NormalisedEvent[] = []
  for (const e of events) {
    if (!(belongsTo(e, target) || informs(e)) || seen.has(e.context.eventKey)) continue
    seen.add(e.context.eventKey)
    mine.push(e)
  }
  mine.sort(byTime)

  const services = new Map<string, ServiceState>()
  const images = new Map<string, readonly string[]>()
  const latest = new Map<string, string>()
  const known = (key: string) => ({
    before: services.get(key),
    imagesOf: (td: string) => images.get(td),
    latestOf: (family: string) => latest.get(family),
  })
  const rows: HistoryRow[] = []
  for (const event of mine) {
    const { record, context } = event
    const { ecs } = context
    const key = ecs.service ? `${ecs.cluster ?? 'default'}/${ecs.service}` : ''
    const summary = summariseChange(record, known(key))
    const errorCode = str(record.errorCode)
    if (!errorCode) {
      if (summary.after && key) services.set(key, summary.after)
      if (summary.registered) {
        images.set(summary.registered.taskDefinition, summary.registered.images)
        latest.set(familyOf(summary.registered.taskDefinition), summary.registered.taskDefinition)
      }
    }
    const row: HistoryRow = {
      time: record.eventTime,
      region: context.region ?? '',
      account: context.account ?? '',
      service: key || (ecs.taskDefinition ? `task definition ${ecs.taskDefinition}` : ''),
      eventName: record.eventName,
      actor: actorLabel(context.actor),
      how: howLabel(context.actor),
      change: errorCode ? `REFUSED (${errorCode}), attempted: ${summary.text}` : summary.text,
      sourceIp: str(record.sourceIPAddress) ?? '',
      eventId: str(record.eventID) ?? '',
    }
    if (errorCode) row.errorCode = errorCode
    if (belongsTo(event, target)) rows.push(row)
  }
  return rows
}
