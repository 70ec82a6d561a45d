import type { Alert } from '../alerts/alert.js'
import { findingOf, withFindings } from '../alerts/findings.js'
import type { Target } from '../alerts/routeAlert.js'
import type { NormalisedEvent } from '../intake/types.js'
import { SEVERITIES } from '../rules/language/ruleSchema.js'
import type { RoutedAlert } from './decide.js'

/** One message to deliver: every finding of one event for one channel. */
export interface GroupedAlert {
  /** The most severe finding leads (rule-set order among equals); the others are in `alert.also`, in the same order. */
  alert: Alert
  target: Target
  event: NormalisedEvent
  /** Each finding's rule id, in the alert's order. */
  ruleIds: string[]
  /** The reasons of findings whose full alert could not be built (see RoutedAlert.degraded). */
  degraded: string[]
}

const rank = (a: RoutedAlert) => SEVERITIES.indexOf(a.alert.severity)

/**
 * One message per API call per channel (issue 18): the alerts decide() routed, grouped by event and channel. An event
 * that matched seven rules whose routes all reach #alerts is one message there, led by its most severe finding, each
 * finding keeping its own title, conditions and runbook. Channels are each target's own, so a route sending critical
 * alerts to #security as well gives #security a message of the critical findings only. The group's mention is every
 * distinct mention of its findings' targets, space-separated, most severe first. The event's facts come from the
 * first finding whose alert was built in full (a degraded one has only the event's identity). Order: events as
 * decided, then channels in the order they first appear. Pure.
 */
export function groupAlerts(routed: readonly RoutedAlert[]): GroupedAlert[] {
  const groups = new Map<NormalisedEvent, Map<string, Array<{ routed: RoutedAlert, target: Target }>>>()
  for (const r of routed) {
    let byChannel = groups.get(r.event)
    if (!byChannel) {
      byChannel = new Map()
      groups.set(r.event, byChannel)
    }
    for (const target of r.targets) {
      const list = byChannel.get(target.channel)
      if (list) {
        if (!list.some((x) => x.routed.alert.ruleId === r.alert.ruleId)) list.push({ routed: r, target })
      } else byChannel.set(target.channel, [{ routed: r, target }])
    }
  }
  const out: GroupedAlert[] = []
  for (const [event, byChannel] of groups) {
    for (const [channel, members] of byChannel) {
      // Array.prototype.sort is stable: equal severities keep rule-set order.
      const sorted = [...members].sort((a, b) => rank(b.routed) - rank(a.routed))
      const base = (sorted.find((m) => m.routed.degraded === undefined) ?? sorted[0])?.routed.alert
      if (!base) continue
      const alert = sorted.length === 1 ? base : withFindings(base, sorted.map((m) => findingOf(m.routed.alert)))
      const mentions = [...new Set(sorted.flatMap((m) => (m.target.mention ? m.target.mention.split(/\s+/).filter(Boolean) : [])))]
      const target: Target = mentions.length > 0 ? { channel, mention: mentions.join(' ') } : { channel }
      const degraded = sorted.flatMap((m) => (m.routed.degraded === undefined ? [] : [m.routed.degraded]))
      out.push({ alert, target, event, ruleIds: sorted.map((m) => m.routed.alert.ruleId), degraded })
    }
  }
  return out
}
