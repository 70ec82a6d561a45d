import type { Alert } from './alert.js'
import { clean } from './mrkdwn.js'
import { summaryLine } from './renderSlack.js'

/** An alert for a terminal: control characters (and so ANSI escapes from an event) are removed. */
export function renderText(alert: Alert, channels: readonly string[]): string {
  const c = (s: string, max = 300) => clean(s, max).replace(/[\r\n]+/g, ' ')
  const a = alert.actor
  const lines = [
    `[${alert.severity.toUpperCase()}] ${c(alert.title)}  (${alert.ruleId})`,
    `  what     ${c(summaryLine(alert))}${alert.errorCode ? `  FAILED: ${c(alert.errorCode, 100)}` : ''}`,
    `  who      ${c(a.name ?? a.arn ?? 'unknown')} (${a.type}, via ${a.via}${a.mfa === undefined ? '' : a.mfa ? ', MFA' : ', no MFA'})${a.arn ? ` ${c(a.arn)}` : ''}`,
    `  where    ${c(alert.accountAlias ? `${alert.accountAlias} (${alert.account ?? '?'})` : (alert.account ?? '?'))} ${c(alert.region ?? '?')}${alert.env ? ` env ${c(alert.env)}` : ''}`,
    `  when     ${c(alert.eventTime, 40)}`,
  ]
  if (alert.details.length) lines.push(`  request  ${alert.details.slice(0, 8).map(([k, v]) => `${c(k, 40)}=${c(v, 120)}`).join(', ')}`)
  lines.push(`  why      ${alert.conditions.map((x) => c(x, 120)).join('; ')}`)
  if (alert.runbook) lines.push(`  runbook  ${c(alert.runbook, 400)}`)
  if (alert.links.cloudtrail) lines.push(`  event    ${alert.links.cloudtrail}`)
  lines.push(`  → ${channels.join(', ')}`)
  return `${lines.join('\n')}\n`
}
