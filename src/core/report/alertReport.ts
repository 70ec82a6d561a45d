import type { Alert } from '../alerts/alert.js'
import type { ReplaySummary } from '../replay/replaySummary.js'
import { csvLine } from './csvLine.js'
import { markdownTable } from './markdownTable.js'

/** An alert as a report lists it: the alert and the channels it would go to. */
export interface ReportedAlert {
  alert: Alert
  channels: readonly string[]
}

const COLUMNS = ['time', 'rule', 'severity', 'call', 'actor', 'cluster/service', 'account', 'region', 'source IP'] as const

const actorOf = (a: Alert) => a.actor.name ?? a.actor.arn ?? 'unknown'
const cells = ({ alert: a }: ReportedAlert) => [
  a.eventTime, a.ruleId, a.severity, a.eventName, actorOf(a),
  [a.ecs.cluster, a.ecs.service].filter((x) => x !== undefined).join('/'),
  a.accountAlias ? `${a.accountAlias} (${a.account ?? '?'})` : (a.account ?? ''), a.region ?? '', a.sourceIp ?? '',
]

/** Alerts as CSV for a spreadsheet: one row each, with the event id, the channels and the rule's title. Pure. */
export function alertsCsv(alerts: readonly ReportedAlert[]): string {
  return [
    csvLine([...COLUMNS, 'event id', 'title', 'channels']),
    ...alerts.map((r) => csvLine([...cells(r), r.alert.eventId ?? '', r.alert.title, r.channels.join(' ')])),
  ].join('')
}

/**
 * Alerts as Markdown for a ticket or a pull request: the counts per rule (with the top actors), then every alert as a
 * table row; every event-derived value escaped. `title` is trailwarden's own heading. Pure.
 */
export function alertsMarkdown(title: string, alerts: readonly ReportedAlert[], summary: ReplaySummary): string {
  const rules = Object.entries(summary.matches).sort((a, b) => b[1] - a[1])
  const parts = [`## ${title}\n`]
  if (rules.length === 0) parts.push('No rule matched.\n')
  else {
    const top = (rule: string) => Object.entries(summary.actors[rule] ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([a, n]) => `${a} ×${n}`).join(', ')
    parts.push(markdownTable(['rule', 'alerts', 'top actors'], rules.map(([rule, n]) => [rule, String(n), top(rule)])))
    parts.push('')
    parts.push(markdownTable(COLUMNS, alerts.map(cells)))
  }
  return parts.join('\n')
}
