import type { CompiledRule } from '../rules/engine/compileRule.js'
import type { Alert } from './alert.js'
import { type Route, routeAlert, type Target } from './routeAlert.js'

/**
 * The channels an alert of this rule would reach, for a notice about the rule itself (an exception expiring): the
 * notice routed as if it were the rule's alert — its id, severity, tags and notify — once per environment the rule's
 * pattern names literally (`env: [prod]` reaches the prod route), without mentions: a reminder is not a page.
 */
export function ruleTargets(notice: Alert, rule: CompiledRule, routes: readonly Route[], defaultChannel: string): Target[] {
  const envs = rule.document.match.env
  const literalEnvs = Array.isArray(envs) && envs.length > 0 && envs.every((e) => typeof e === 'string') ? envs : [undefined]
  const channels: string[] = []
  for (const env of literalEnvs) {
    const asRule: Alert = { ...notice, ruleId: rule.id, severity: rule.severity, tags: rule.tags }
    if (env !== undefined) asRule.env = env
    if (rule.notify) asRule.notify = rule.notify
    for (const t of routeAlert(asRule, routes, defaultChannel)) if (!channels.includes(t.channel)) channels.push(t.channel)
  }
  return channels.map((channel) => ({ channel }))
}
