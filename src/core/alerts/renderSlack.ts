import { alertRef } from '../silences/alertScopes.js'
import { alertActions } from './actionBlocks.js'
import type { Alert, Detail } from './alert.js'
import { asAlert } from './asAlert.js'
import { findingOf } from './findings.js'
import { mentionsSyntax } from './mentionSyntax.js'
import { bound, clean, code, text } from './mrkdwn.js'
import { BLOCKS_BUDGET, blockSize, EMOJI, findingsBlocks } from './renderFindings.js'
import { changeMrkdwn } from './renderChange.js'
import { type Block, LIMITS, type SlackMessage, type TextObject } from './slackBlocks.js'

const md = (t: string, max: number = LIMITS.sectionText): TextObject => ({ type: 'mrkdwn', text: bound(t, max) })

export { mentionSyntax } from './mentionSyntax.js'

/** A time Slack shows in the reader's timezone, with the ISO text as fallback. */
export function slackDate(iso: unknown): string {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN
  if (Number.isNaN(ms)) return code(iso, 40)
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${new Date(ms).toISOString()}>`
}

export function who(alert: Alert): string {
  const a = alert.actor
  const mfa = a.mfa === undefined ? '' : a.mfa ? ', MFA' : ', *no MFA*'
  return `${code(a.name ?? a.arn ?? 'unknown', 120)} (${a.type}, via ${a.via}${mfa})`
}

export function what(alert: Alert): string {
  const { cluster, service, taskDefinition, container } = alert.ecs
  const target = service && cluster ? `${cluster}/${service}` : (taskDefinition ?? cluster)
  const on = target ? ` on ${code(target, 150)}` : ''
  const inContainer = typeof container === 'string' ? ` (container ${code(container, 80)})` : ''
  return `${code(alert.eventName, 80)}${on}${inContainer}`
}

export function where(alert: Alert): string {
  const account = alert.account ? (alert.accountAlias ? `${code(alert.accountAlias, 60)} (${code(alert.account, 20)})` : code(alert.account, 20)) : 'unknown account'
  return `${account} · ${alert.region ? code(alert.region, 30) : 'unknown region'}${alert.env ? ` · env ${code(alert.env, 40)}` : ''}`
}

/** The one-line summary in plain text (terminals). */
export function summaryLine(alert: Alert): string {
  const actor = alert.actor.name ?? alert.actor.arn ?? 'unknown'
  return `${alert.eventName} by ${actor} in ${alert.accountAlias ?? alert.account ?? '?'}/${alert.region ?? '?'}`
}

/** The one-line summary in mrkdwn, every event-derived part inert: notification text, thread replies, the minimal rendering. */
export function summaryMrkdwn(alert: Alert): string {
  const actor = alert.actor.name ?? alert.actor.arn ?? 'unknown'
  return `${code(alert.eventName, 80)} by ${code(actor, 120)} in ${code(`${alert.accountAlias ?? alert.account ?? '?'}/${alert.region ?? '?'}`, 100)}`
}

/** A request row: trailwarden's label as text, an event-derived label (an unknown API's own key) inert like the value. */
const detailLine = ([label, value, from]: Detail): string => `• ${from === 'event' ? code(label, 60) : text(label, 60)}: ${code(value, 300)}`

/** What a reader is told when part of the event could not be read into the alert (Alert.incomplete). */
const incompleteNotice = (reason: string): string => `:warning: trailwarden could not read all of this event; what it could read is below. ${code(reason, 300)}`

export interface RenderOptions {
  /** The target's mention(s) from the config, space-separated when a grouped alert's findings name several. */
  mention?: string | undefined
  /** Set on a dedup parent: how many more matched since, and when the last did. */
  more?: { count: number, lastAt: string } | undefined
  /** A line from trailwarden itself shown first (e.g. why this landed in the fallback channel). Trusted. */
  notice?: string | undefined
  /** Socket Mode is on: the alert carries Acknowledge / Silence / That was me (actionBlocks.ts). */
  actions?: boolean | undefined
}

/**
 * An alert → a Block Kit message. Pure and total: the alert is read through asAlert, so a field of any type renders;
 * every event-derived string is inert (in a code span, escaped, invisible characters removed) and bounded.
 */
export function renderSlack(value: Alert, options: RenderOptions = {}): SlackMessage {
  const alert = asAlert(value)
  const mention = options.mention ? `${mentionsSyntax(options.mention)} ` : ''
  const also = alert.also ?? []
  const more = also.length > 0 ? ` (+${also.length} more)` : ''
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `${clean(`${EMOJI[alert.severity]} ${alert.severity.toUpperCase()} · ${alert.title}`, LIMITS.headerText - more.length)}${more}`, emoji: true } },
  ]
  if (options.notice) blocks.push({ type: 'section', text: md(`:warning: ${text(options.notice, 500)}`) })
  if (mention) blocks.push({ type: 'section', text: md(mention.trim()) })
  if (alert.incomplete) blocks.push({ type: 'section', text: md(incompleteNotice(alert.incomplete)) })
  if (alert.errorCode) {
    blocks.push({ type: 'section', text: md(`:no_entry: *The call failed:* ${code(alert.errorCode, 100)}${alert.errorMessage ? ` — ${code(alert.errorMessage, 600)}` : ''}`) })
  }
  const fields: TextObject[] = [
    md(`*Who*\n${who(alert)}`, LIMITS.fieldText),
    md(`*What*\n${what(alert)}`, LIMITS.fieldText),
    md(`*Where*\n${where(alert)}`, LIMITS.fieldText),
    md(`*When*\n${slackDate(alert.eventTime)}`, LIMITS.fieldText),
  ]
  if (alert.actor.role) fields.push(md(`*Role*\n${code(alert.actor.role, 150)}`, LIMITS.fieldText))
  if (alert.actor.arn) fields.push(md(`*ARN*\n${code(alert.actor.arn, 300)}`, LIMITS.fieldText))
  if (alert.sourceIp) fields.push(md(`*Source IP*\n${code(alert.sourceIp, 100)}`, LIMITS.fieldText))
  if (alert.userAgent) fields.push(md(`*User agent*\n${code(alert.userAgent, 200)}`, LIMITS.fieldText))
  blocks.push({ type: 'section', fields: fields.slice(0, LIMITS.fields) })
  if (alert.details.length > 0) {
    const lines = alert.details.slice(0, 20).map(detailLine)
    blocks.push({ type: 'section', text: md(`*Request*\n${lines.join('\n')}`) })
  }
  const changed = changeMrkdwn(alert)
  if (changed) blocks.push({ type: 'section', text: md(changed) })
  const head = blocks.length
  if (also.length === 0) {
    const conditions = alert.conditions.slice(0, 12).map((c) => code(c, 200)).join(' · ')
    blocks.push({ type: 'section', text: md(`*Why this alert*\n${text(alert.description, 1500)}\n_Matched:_ ${conditions}`) })
    if (alert.runbook) blocks.push({ type: 'section', text: md(`*Runbook*\n${text(alert.runbook, 1500)}`) })
  }
  const links = [
    alert.links.cloudtrail ? `<${alert.links.cloudtrail}|View the event in CloudTrail>` : undefined,
    alert.links.ecs ? `<${alert.links.ecs}|Open in the ECS console>` : undefined,
  ].filter((l): l is string => l !== undefined)
  if (links.length > 0) blocks.push({ type: 'section', text: md(links.join('  ·  ')) })
  blocks.push({
    type: 'context',
    elements: [md(`rule ${code(alert.ruleId, 80)} · event ${code(alert.eventId ?? alert.eventKey, 100)} · trailwarden`)],
  })
  if (options.actions && !alert.ruleId.startsWith('trailwarden-')) blocks.push(alertActions(alertRef(alert)))
  if (options.more) blocks.push(moreLikeThis(options.more.count, options.more.lastAt))
  // A grouped alert: each finding after the event's facts, within what the other blocks leave of Slack's limits
  // (renderFindings.ts); the footer's room is kept for a dedup parent's "more like this".
  if (also.length > 0) {
    const used = blocks.reduce((n, b) => n + blockSize(b), 0) + 400
    blocks.splice(head, 0, ...findingsBlocks([findingOf(alert), ...also], { chars: BLOCKS_BUDGET - used, blocks: LIMITS.blocks - blocks.length - 1 }))
  }
  const others = also.length > 0 ? ` (+${also.length} more: ${bound(also.map((f) => code(f.ruleId, 80)).join(', '), 1500)})` : ''
  const fallback = `${mention}[${alert.severity.toUpperCase()}] ${text(alert.title, 150)}${others} — ${bound(summaryMrkdwn(alert), 400)}`
  return { text: fallback, blocks: blocks.slice(0, LIMITS.blocks) }
}

/** The footer a dedup parent gets when later matches are threaded under it. */
export function moreLikeThis(count: unknown, lastAt: unknown): Block {
  return { type: 'context', elements: [md(`:thread: *${text(count, 20)} more like this* in the thread, last at ${slackDate(lastAt)}`)] }
}

/** A threaded reply under a dedup parent: one line and the key facts. */
export function renderReply(value: Alert): SlackMessage {
  const alert = asAlert(value)
  return {
    text: bound(summaryMrkdwn(alert), 400),
    blocks: [
      { type: 'section', text: md(`${what(alert)} by ${who(alert)}\n${where(alert)} · ${slackDate(alert.eventTime)}${alert.errorCode ? ` · failed: ${code(alert.errorCode, 100)}` : ''}`) },
      { type: 'context', elements: [md(`event ${code(alert.eventId ?? alert.eventKey, 100)}`)] },
    ],
  }
}

/** What is sent when Slack rejects the full rendering (msg_too_long, invalid_blocks): text only, still escaped. */
export function renderMinimal(value: Alert, reason: string): SlackMessage {
  const alert = asAlert(value)
  const also = alert.also ?? []
  const others = also.length > 0 ? ` and ${also.length} more: ${bound(also.map((f) => `${code(f.ruleId, 80)} (${f.severity})`).join(', '), 2000)}` : ''
  return {
    text: `[${alert.severity.toUpperCase()}] ${text(alert.title, 150)} — ${bound(summaryMrkdwn(alert), 400)} — event ${code(alert.eventId ?? alert.eventKey, 100)}, rule ${code(alert.ruleId, 80)}${others} (the full alert was rejected by Slack: ${code(reason, 60)})`,
    blocks: [],
  }
}
