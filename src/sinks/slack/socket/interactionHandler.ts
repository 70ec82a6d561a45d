import type { WebClient } from '@slack/web-api'
import type { Logger } from 'pino'
import { ACTIONS, type MessageStatus, silenceModal, withStatus } from '../../../core/alerts/actionBlocks.js'
import { REF, scopeOf } from '../../../core/silences/alertScopes.js'
import type { Silence } from '../../../core/silences/silence.js'
import { MODAL, readSilenceRequest } from '../../../core/silences/silenceRequest.js'
import type { AlertRecord, AlertRecords } from './alertRecords.js'
import type { Verdict } from './authoriser.js'
import { SilenceBookFull, type SilenceBook } from './silenceBook.js'
import type { InteractionHandler } from './socketConnection.js'

export interface InteractionDeps {
  client: WebClient
  records: AlertRecords
  book: SilenceBook
  authoriser: { check(user: string): Promise<Verdict> }
  /** The silences changed here: apply them in this replica at once (others read them on their next refresh). */
  onSilences: (silences: Silence[]) => void
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>
  now?: () => number
  /** A new silence id: 16 hex characters. */
  newId: () => string
}

const USER = /^[UW][A-Z0-9]{2,20}$/
const CHANNEL = /^[CGD][A-Z0-9]{2,20}$/
const TS = /^\d{1,12}\.\d{1,8}$/

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})
const str = (v: unknown, re: RegExp): string | undefined => (typeof v === 'string' && re.test(v) ? v : undefined)

/** The channel a Silence modal was opened from, as its private_metadata carries it. */
function metadataChannel(body: Record<string, unknown>): string | undefined {
  try {
    const raw = obj(body.view).private_metadata
    const meta = obj(JSON.parse(typeof raw === 'string' ? raw : '{}'))
    return str(meta.c, CHANNEL)
  } catch {
    return undefined
  }
}

const VERBS: Record<string, string> = { [ACTIONS.ack]: 'acknowledge', [ACTIONS.silence]: 'silence', [ACTIONS.mine]: 'vouch for', [ACTIONS.undo]: 'undo the silence of' }

/**
 * What a click or a modal submission does (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload,
 * …/view-interactions-payload). Every id read from a payload is checked against its shape before it is used in a key
 * or a call; every action is logged with the user id; anyone not allowed gets an ephemeral refusal.
 */
export function createInteractionHandler(deps: InteractionDeps): InteractionHandler {
  const { client, records, book, log, now = Date.now } = deps

  const refuse = async (channel: string, user: string, text: string) => {
    await client.chat.postEphemeral({ channel, user, text: `trailwarden: ${text}` }).catch((err: unknown) => {
      log.warn({ user, channel, err: err instanceof Error ? err.message.slice(0, 200) : 'error' }, 'could not send an ephemeral answer')
    })
  }

  const statusOf = async (record: AlertRecord, at: number): Promise<MessageStatus> => {
    const silence = record.silenceId ? (await book.read(at)).find((s) => s.id === record.silenceId) : undefined
    return { acks: record.acks, vouches: record.vouches, silence }
  }

  type Where = { channel: string, ts: string }
  const update = async (where: Where, ref: string, blocks: readonly unknown[] | undefined, text: string | undefined, status: MessageStatus, at: number) => {
    if (!blocks || blocks.length === 0) {
      log.warn({ ref }, 'the alert message\'s blocks are not known: the message is not updated')
      return
    }
    await client.chat.update({ channel: where.channel, ts: where.ts, text: text ?? 'trailwarden alert', blocks: withStatus(blocks, ref, status, at) as never[] })
  }

  async function blockAction(body: Record<string, unknown>): Promise<void> {
    const action = obj(Array.isArray(body.actions) ? body.actions[0] : undefined)
    const actionId = typeof action.action_id === 'string' ? action.action_id : ''
    if (!Object.values(ACTIONS).includes(actionId as never)) return
    const user = str(obj(body.user).id, USER)
    const container = obj(body.container)
    const channel = str(container.channel_id, CHANNEL) ?? str(obj(body.channel).id, CHANNEL)
    const ts = str(container.message_ts, TS)
    const value = str(action.value, REF)
    if (!user || !channel || !ts || !value) {
      log.warn({ action: actionId }, 'an alert action without a valid user, channel, message or value was ignored')
      return
    }
    const message = obj(body.message)
    const blocks = Array.isArray(message.blocks) ? (message.blocks as unknown[]) : undefined
    const text = typeof message.text === 'string' ? message.text : undefined
    const verdict = await deps.authoriser.check(user)
    const why = verdict.allowed ? { via: verdict.via } : { reason: verdict.reason }
    log.info({ user, channel, action: actionId, value, allowed: verdict.allowed, ...why }, 'alert action')
    if (!verdict.allowed) {
      await refuse(channel, user, `you may not ${VERBS[actionId] ?? 'act on'} this alert: ${verdict.reason}.`)
      return
    }
    const at = now()
    const where = { channel, ts }
    if (actionId === ACTIONS.undo) {
      const { silence, silences } = await book.undo(value, user, at)
      deps.onSilences(silences)
      if (!silence) {
        await refuse(channel, user, 'that silence is already over.')
        return
      }
      log.info({ user, silence: silence.id, rule: silence.ruleId }, 'silence undone')
      const ref = silence.message?.ref
      const record = ref ? await records.get(ref, at) : undefined
      if (ref && record) await update(where, ref, blocks ?? record.blocks, text ?? record.text, { acks: record.acks, vouches: record.vouches, silence }, at)
      return
    }
    const record = await records.update(value, at, (r) => {
      const mark = { user, at }
      if (actionId === ACTIONS.ack && !r.acks.some((m) => m.user === user)) r.acks.push(mark)
      if (actionId === ACTIONS.mine && !r.vouches.some((m) => m.user === user)) r.vouches.push(mark)
      if (blocks) r.blocks = blocks
      if (text) r.text = text
    })
    if (!record) {
      await refuse(channel, user, 'this alert is no longer known (its details are kept 7 days); nothing was recorded.')
      return
    }
    if (actionId === ACTIONS.silence) {
      const metadata = JSON.stringify({ r: value, c: channel, t: ts })
      await client.views.open({ trigger_id: typeof body.trigger_id === 'string' ? body.trigger_id : '', view: silenceModal(record.scopes, metadata) as never })
      return
    }
    await update(where, value, blocks, text, await statusOf(record, at), at)
  }

  async function silenceSubmission(body: Record<string, unknown>): Promise<void> {
    const view = obj(body.view)
    const user = str(obj(body.user).id, USER)
    let meta: Record<string, unknown> = {}
    try {
      meta = obj(JSON.parse(typeof view.private_metadata === 'string' ? view.private_metadata : '{}'))
    } catch {
      // handled below: no ids, nothing done
    }
    const ref = str(meta.r, REF)
    const channel = str(meta.c, CHANNEL)
    const ts = str(meta.t, TS)
    if (!user || !ref || !channel || !ts) {
      log.warn({}, 'a Silence submission without a valid user or alert was ignored')
      return
    }
    const at = now()
    const request = readSilenceRequest(view.state, at)
    if (!request.ok) return // the ack carried the errors; the modal is still open
    const verdict = await deps.authoriser.check(user)
    log.info({ user, channel, action: 'silence-submit', ref, allowed: verdict.allowed }, 'alert action')
    if (!verdict.allowed) {
      await refuse(channel, user, `you may not silence this alert: ${verdict.reason}.`)
      return
    }
    const record = await records.get(ref, at)
    const scope = record ? scopeOf(record.scopes, request.kind) : undefined
    if (!record || !scope) {
      await refuse(channel, user, 'this alert is no longer known, or does not name what you chose; nothing was silenced.')
      return
    }
    const silence: Silence = {
      id: deps.newId(),
      ruleId: record.scopes.ruleId,
      scope,
      reason: request.reason,
      author: user,
      createdAt: at,
      expiresAt: request.expiresAt,
      message: { channel, ts, ref },
    }
    try {
      deps.onSilences(await book.add(silence, at))
    } catch (err) {
      if (err instanceof SilenceBookFull) {
        await refuse(channel, user, err.message)
        return
      }
      throw err
    }
    log.info({ user, silence: silence.id, rule: silence.ruleId, scope: scope.kind, expiresAt: new Date(silence.expiresAt).toISOString() }, 'silence created')
    const updated = await records.update(ref, at, (r) => { r.silenceId = silence.id })
    if (updated) await update({ channel, ts }, ref, updated.blocks, updated.text, { acks: updated.acks, vouches: updated.vouches, silence }, at)
  }

  return {
    ackPayload(raw) {
      const body = obj(raw)
      const view = obj(body.view)
      if (body.type !== 'view_submission' || view.callback_id !== MODAL.callbackId) return undefined
      const request = readSilenceRequest(view.state, now())
      return request.ok ? undefined : { response_action: 'errors', errors: request.errors }
    },
    async handle(raw) {
      const body = obj(raw)
      try {
        if (body.type === 'block_actions') await blockAction(body)
        else if (body.type === 'view_submission' && obj(body.view).callback_id === MODAL.callbackId) await silenceSubmission(body)
      } catch (err) {
        // The clicker hears that nothing happened (the state store or Slack failed), rather than silence.
        const user = str(obj(body.user).id, USER)
        const channel = str(obj(body.container).channel_id, CHANNEL) ?? str(obj(body.channel).id, CHANNEL) ?? metadataChannel(body)
        if (user && channel) await refuse(channel, user, 'that did not go through (the state store or Slack did not answer); nothing changed, try again.')
        throw err
      }
    },
  }
}
