import { SEVERITIES, type Severity } from '../rules/language/ruleSchema.js'
import type { Alert } from './alert.js'

export interface Route {
  match: {
    severity?: Severity[] | undefined
    minSeverity?: Severity | undefined
    tags?: string[] | undefined
    env?: string[] | undefined
    rule?: string[] | undefined
  }
  channel: string
  mention?: string | undefined
  continue: boolean
}

export interface Target {
  channel: string
  /** From the config; a grouped alert's target holds each of its findings' mentions, space-separated (groupAlerts.ts). */
  mention?: string
}

const rank = (s: Severity) => SEVERITIES.indexOf(s)

function routeMatches(route: Route, alert: Alert): boolean {
  const m = route.match
  if (m.severity && !m.severity.includes(alert.severity)) return false
  if (m.minSeverity && rank(alert.severity) < rank(m.minSeverity)) return false
  if (m.tags && !m.tags.some((t) => alert.tags.includes(t))) return false
  if (m.env && (alert.env === undefined || !m.env.includes(alert.env))) return false
  if (m.rule && !m.rule.includes(alert.ruleId)) return false
  return true
}

/**
 * Where an alert goes: the rule's notify.channel; else every matching route down to the first without
 * `continue: true`; else the default channel. Each channel once. Pure (alertmanager-style routing).
 */
export function routeAlert(alert: Alert, routes: readonly Route[], defaultChannel: string): Target[] {
  const targets: Target[] = []
  const add = (channel: string, mention: string | undefined) => {
    if (targets.some((t) => t.channel === channel)) return
    targets.push(mention ? { channel, mention } : { channel })
  }
  if (alert.notify?.channel) {
    add(alert.notify.channel, alert.notify.mention)
    return targets
  }
  for (const route of routes) {
    if (!routeMatches(route, alert)) continue
    add(route.channel, route.mention ?? alert.notify?.mention)
    if (!route.continue) break
  }
  if (targets.length === 0) add(defaultChannel, alert.notify?.mention)
  return targets
}
