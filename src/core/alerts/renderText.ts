import type { Alert } from './alert.js'
import { asAlert } from './asAlert.js'
import { asText } from './asText.js'
import { clean } from './mrkdwn.js'
import { changeTextLines } from './renderChange.js'
import { summaryLine } from './renderSlack.js'

/**
 * An alert for a terminal: control and invisible characters (and so ANSI escapes from an event) are removed, each
 * value stays on its line. Total: the alert is read through asAlert, so a field of any type renders.
 */
export function renderText(value: Alert, channels: readonly string[]): string {
  const alert = asAlert(value)
  const c = (s: unknown, max = 300) => clean(s, max).replace(/[\r\n]+/g, ' ')
  const a = alert.actor
  const also = alert.also ?? []
  const lines = [
    `[${alert.severity.toUpperCase()}] ${c(alert.title)}  (${c(alert.ruleId, 100)})${also.length > 0 ? `  +${also.length} more` : ''}`,
    `  what     ${c(summaryLine(alert))}${alert.errorCode ? `  FAILED: ${c(alert.errorCode, 100)}` : ''}`,
    `  who      ${c(a.name ?? a.arn ?? 'unknown')} (${a.type}, via ${a.via}${a.mfa === undefined ? '' : a.mfa ? ', MFA' : ', no MFA'})${a.arn ? ` ${c(a.arn)}` : ''}`,
    `  where    ${c(alert.accountAlias ? `${alert.accountAlias} (${alert.account ?? '?'})` : (alert.account ?? '?'))} ${c(alert.region ?? '?')}${alert.env ? ` env ${c(alert.env)}` : ''}`,
    `  when     ${c(alert.eventTime, 40)}`,
  ]
  if (alert.incomplete) lines.push(`  note     trailwarden could not read all of this event: ${c(alert.incomplete, 300)}`)
  if (alert.details.length) lines.push(`  request  ${alert.details.slice(0, 8).map(([k, v]) => `${c(k, 40)}=${c(v, 120)}`).join(', ')}`)
  lines.push(...changeTextLines(alert))
  lines.push(`  why      ${alert.conditions.map((x) => c(x, 120)).join('; ')}`)
  if (alert.runbook) lines.push(`  runbook  ${c(alert.runbook, 400)}`)
  // A grouped alert (one per API call per channel): every other finding, each with its own why and runbook.
  for (const f of also) {
    lines.push(`  also     [${f.severity.toUpperCase()}] ${c(f.title)}  (${c(f.ruleId, 100)})`)
    lines.push(`           why ${f.conditions.map((x) => c(x, 120)).join('; ')}`)
    if (f.runbook) lines.push(`           runbook ${c(f.runbook, 400)}`)
  }
  if (alert.links.cloudtrail) lines.push(`  event    ${alert.links.cloudtrail}`)
  lines.push(`  → ${(Array.isArray(channels) ? channels : []).map((ch) => c(asText(ch), 100)).join(', ')}`)
  return `${lines.join('\n')}\n`
}
