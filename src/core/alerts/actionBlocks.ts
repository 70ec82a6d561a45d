import type { AlertScopes } from '../silences/alertScopes.js'
import { offeredScopes } from '../silences/alertScopes.js'
import { isActive, type Silence, type SilenceScopeKind } from '../silences/silence.js'
import { MODAL, REASON_MAX } from '../silences/silenceRequest.js'
import { clean, code, text } from './mrkdwn.js'
import { redactSecrets } from './redact.js'
import { type Block, type ButtonElement, LIMITS } from './slackBlocks.js'

/**
 * The buttons an alert carries when Socket Mode is on (SLACK_APP_TOKEN), the status lines a click adds, and the
 * Silence modal. Pure. A button's value is an alert ref or a silence id (16 hex characters), never event text: what a
 * click needs to know about the alert is read from the state store by that ref.
 */

export const ACTIONS = { ack: 'tw_ack', silence: 'tw_silence', mine: 'tw_mine', undo: 'tw_undo' } as const
export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS]
/** Blocks trailwarden owns on an alert message: replaced on every update, whatever Slack echoes back around them. */
const OWN_BLOCK = /^tw-/
const ACTIONS_BLOCK = 'tw-actions'
const STATUS_BLOCK = 'tw-status'
/** Slack's limit on a button value (https://docs.slack.dev/reference/block-kit/block-elements/button-element). */
export const BUTTON_VALUE_MAX = 2_000

const button = (actionId: ActionId, label: string, value: string, style?: 'primary' | 'danger'): ButtonElement => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: label, emoji: true },
  value: value.slice(0, BUTTON_VALUE_MAX),
  ...(style ? { style } : {}),
})

/** The buttons of a fresh alert: Acknowledge, Silence…, That was me. */
export function alertActions(ref: string): Block {
  return {
    type: 'actions',
    block_id: ACTIONS_BLOCK,
    elements: [button(ACTIONS.ack, 'Acknowledge', ref, 'primary'), button(ACTIONS.silence, 'Silence…', ref), button(ACTIONS.mine, 'That was me', ref)],
  }
}

export interface Mark { user: string, at: number }

/** What the people in the channel did with an alert, as recorded in the state store. */
export interface MessageStatus {
  acks: Mark[]
  vouches: Mark[]
  /** The latest silence made from this alert (active, ended or undone). */
  silence?: Silence | undefined
}

/** A Slack user id from a payload shown as a mention; anything else shown inert. */
export const userMention = (user: string): string => (/^[UW][A-Z0-9]{2,20}$/.test(user) ? `<@${user}>` : code(user, 40))

/** A time Slack shows in the reader's timezone, with the ISO text as fallback. */
export const slackTime = (ms: number): string => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`

const SCOPE_LABEL: Record<SilenceScopeKind, string> = { service: 'this service', cluster: 'this cluster', actor: 'this actor' }

/** The silence in one mrkdwn line: its scope values are event text, shown inert. */
export function silenceLine(s: Silence, now: number): string {
  // Scope values are the event's own (what the silence compares), redacted for display like an alert's.
  const shown = (v: string | undefined, max: number) => code(redactSecrets(v ?? '?'), max)
  const scope = s.scope.kind === 'service'
    ? `service ${shown(`${s.scope.cluster ?? '?'}/${s.scope.service ?? '?'}`, 300)}`
    : s.scope.kind === 'cluster' ? `cluster ${shown(s.scope.cluster, 255)}` : `actor ${shown(s.scope.actorArn, 400)}`
  const head = `rule ${code(s.ruleId, 80)} for ${scope} by ${userMention(s.author)}: ${text(s.reason, REASON_MAX + 20)}`
  if (s.undone) return `:bell: Silence undone by ${userMention(s.undone.by)} ${slackTime(s.undone.at)} (was: ${head})`
  if (!isActive(s, now)) return `:bell: Silence ended ${slackTime(s.expiresAt)} (was: ${head})`
  return `:no_bell: *Silenced* until ${slackTime(s.expiresAt)}: ${head}`
}

const md = (t: string) => ({ type: 'mrkdwn' as const, text: t.slice(0, LIMITS.sectionText) })

/** The status lines and the buttons for the current status: Undo instead of Silence while a silence is active. */
export function statusBlocks(ref: string, status: MessageStatus, now: number): Block[] {
  const lines: string[] = []
  const marks = (list: Mark[]) => list.slice(0, 10).map((m) => `${userMention(m.user)} ${slackTime(m.at)}`).join(', ')
  if (status.acks.length > 0) lines.push(`:white_check_mark: Acknowledged by ${marks(status.acks)}`)
  if (status.vouches.length > 0) lines.push(`:raised_hand: *That was me*: ${marks(status.vouches)}`)
  if (status.silence) lines.push(silenceLine(status.silence, now))
  const blocks: Block[] = lines.length > 0 ? [{ type: 'context', block_id: STATUS_BLOCK, elements: lines.slice(0, LIMITS.contextElements).map(md) }] : []
  const silenced = status.silence !== undefined && isActive(status.silence, now)
  blocks.push({
    type: 'actions',
    block_id: ACTIONS_BLOCK,
    elements: [
      button(ACTIONS.ack, 'Acknowledge', ref, 'primary'),
      silenced && status.silence ? button(ACTIONS.undo, 'Undo silence', status.silence.id, 'danger') : button(ACTIONS.silence, 'Silence…', ref),
      button(ACTIONS.mine, 'That was me', ref),
    ],
  })
  return blocks
}

/**
 * The alert message's blocks (as Slack echoed them in the click's payload) with trailwarden's own status and buttons
 * replaced by the current ones. The rest of the message is kept as it is; the whole stays within 50 blocks.
 */
export function withStatus(blocks: readonly unknown[], ref: string, status: MessageStatus, now: number): unknown[] {
  const kept = blocks.filter((b) => {
    const id = (b as { block_id?: unknown } | null)?.block_id
    return !(typeof id === 'string' && OWN_BLOCK.test(id))
  })
  const own = statusBlocks(ref, status, now)
  return [...kept.slice(0, LIMITS.blocks - own.length), ...own]
}

const plain = (t: string, max: number) => ({ type: 'plain_text' as const, text: clean(t, max) || ' ', emoji: true })

/**
 * The Silence modal (views.open, https://docs.slack.dev/reference/views/modal-view): what to silence, how long, why.
 * Option labels name the values (plain text, bounded to Slack's 75 characters); `metadata` carries ids only.
 */
export function silenceModal(scopes: AlertScopes, metadata: string): Record<string, unknown> {
  const kinds = offeredScopes(scopes)
  const label = (k: SilenceScopeKind) => {
    const value = k === 'service' ? `${scopes.cluster ?? ''}/${scopes.service ?? ''}` : k === 'cluster' ? scopes.cluster : scopes.actorArn
    return `${SCOPE_LABEL[k]}: ${redactSecrets(value ?? '')}`
  }
  const option = (value: string, t: string) => ({ text: plain(t, 75), value })
  return {
    type: 'modal',
    callback_id: MODAL.callbackId,
    private_metadata: metadata,
    title: plain('Silence this alert', 24),
    submit: plain('Silence', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'section', text: md(`Silence *${text(scopes.title, 150)}* (rule ${code(scopes.ruleId, 80)}). Matching events are still read and counted, never posted, until the silence ends.`) },
      {
        type: 'input',
        block_id: MODAL.scope.block,
        label: plain('What', 24),
        element: { type: 'radio_buttons', action_id: MODAL.scope.action, options: kinds.map((k) => option(k, label(k))), ...(kinds[0] ? { initial_option: option(kinds[0], label(kinds[0])) } : {}) },
      },
      {
        type: 'input',
        block_id: MODAL.for.block,
        label: plain('For', 24),
        element: {
          type: 'static_select',
          action_id: MODAL.for.action,
          initial_option: option('1h', '1 hour'),
          options: [option('1h', '1 hour'), option('4h', '4 hours'), option('24h', '24 hours'), option('date', 'Until the date below')],
        },
      },
      { type: 'input', block_id: MODAL.until.block, optional: true, label: plain('Until (last day, UTC)', 40), element: { type: 'datepicker', action_id: MODAL.until.action } },
      {
        type: 'input',
        block_id: MODAL.reason.block,
        label: plain('Why', 24),
        element: { type: 'plain_text_input', action_id: MODAL.reason.action, multiline: true, min_length: 3, max_length: REASON_MAX },
      },
    ],
  }
}
