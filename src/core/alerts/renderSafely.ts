import type { Alert } from './alert.js'
import { asSeverity } from './asAlert.js'
import { asText } from './asText.js'
import { bound, code, clean, text } from './mrkdwn.js'
import { redactSecrets } from './redact.js'
import { renderDigest } from './renderDigest.js'
import { type RenderOptions, renderMinimal, renderReply, renderSlack } from './renderSlack.js'
import { renderText } from './renderText.js'
import { LIMITS, type SlackMessage } from './slackBlocks.js'

/**
 * The renderers as the pipeline calls them: they never throw. Every renderer is already total over the alert's fields
 * (asAlert); these are the last guard, so a renderer defect or a value nobody foresaw costs the full rendering of one
 * alert, never the alert: what is delivered instead says rendering failed and names the rule, severity, title and
 * event key, each escaped and redacted. `onError` receives what was thrown (the core does not log; the caller does).
 */

type OnError = (err: unknown) => void

/** One field of an alert that may be anything, or may throw when read. */
function field(alert: unknown, key: string): string {
  try {
    return redactSecrets(asText((alert as Record<string, unknown> | null | undefined)?.[key]))
  } catch {
    return ''
  }
}

const severityOf = (alert: unknown): string => {
  try {
    return asSeverity((alert as Record<string, unknown> | null | undefined)?.severity).toUpperCase()
  } catch {
    return 'HIGH'
  }
}

const report = (onError: OnError | undefined, err: unknown) => {
  try {
    onError?.(err)
  } catch {
    // A failing reporter must not cost the alert either.
  }
}

/** The minimal Slack rendering of an alert whose full rendering failed. */
export function renderFailedSlack(alert: unknown): SlackMessage {
  const line = `:warning: [${severityOf(alert)}] ${text(field(alert, 'title') || 'Alert', 150)} — rule ${code(field(alert, 'ruleId'), 80)}, event ${code(field(alert, 'eventKey'), 120)}. trailwarden could not render this alert in full; the event is in the logs and in \`trailwarden replay\`.`
  return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }] }
}

/** The minimal terminal rendering of an alert whose full rendering failed. */
export function renderFailedText(alert: unknown): string {
  return `[${severityOf(alert)}] ${clean(field(alert, 'title') || 'Alert', 150).replace(/[\r\n]+/g, ' ')}  (${clean(field(alert, 'ruleId'), 100)}) event ${clean(field(alert, 'eventKey'), 120)}: trailwarden could not render this alert in full\n`
}

/** renderSlack that never throws. */
export function renderSlackSafely(alert: Alert, options?: RenderOptions, onError?: OnError): SlackMessage {
  try {
    return renderSlack(alert, options)
  } catch (err) {
    report(onError, err)
    return renderFailedSlack(alert)
  }
}

/** renderReply (a threaded dedup reply) that never throws. */
export function renderReplySafely(alert: Alert, onError?: OnError): SlackMessage {
  try {
    return renderReply(alert)
  } catch (err) {
    report(onError, err)
    return renderFailedSlack(alert)
  }
}

/** renderMinimal (what is sent when Slack rejects the full rendering) that never throws. */
export function renderMinimalSafely(alert: Alert, reason: string, onError?: OnError): SlackMessage {
  try {
    return renderMinimal(alert, reason)
  } catch (err) {
    report(onError, err)
    return renderFailedSlack(alert)
  }
}

/** renderText (stdout, replay) that never throws. */
export function renderTextSafely(alert: Alert, channels: readonly string[], onError?: OnError): string {
  try {
    return renderText(alert, channels)
  } catch (err) {
    report(onError, err)
    return renderFailedText(alert)
  }
}

/** renderDigest (a storm's summary) that never throws: failing that, a count and each alert's rule and event key. */
export function renderDigestSafely(alerts: readonly Alert[], since: string, threshold: number, onError?: OnError): SlackMessage {
  try {
    return renderDigest(alerts, since, threshold)
  } catch (err) {
    report(onError, err)
    const list: unknown[] = Array.isArray(alerts) ? alerts : []
    const shown = list.slice(0, 20).map((a) => `• [${severityOf(a)}] ${code(field(a, 'ruleId'), 80)} event ${code(field(a, 'eventKey'), 120)}`)
    const more = list.length > shown.length ? `\n…and ${list.length - shown.length} more` : ''
    const line = `:warning: Alert storm: ${list.length} alerts. trailwarden could not render the summary in full; each alert is in the logs and in \`trailwarden replay\`.\n${shown.join('\n')}${more}`
    return { text: `Alert storm: ${list.length} alerts summarized`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: bound(line, LIMITS.sectionText) } }] }
  }
}
