import type { SocketModeClient } from '@slack/socket-mode'
import type { Logger } from 'pino'
import { sha256Hex } from '../../../core/digest.js'
import type { ComponentStatus, HasStatus } from '../../../health/componentStatus.js'
import { StatusTracker } from '../../../health/statusTracker.js'
import type { StateStore } from '../../../state/stateStore.js'
import { backoff } from '../../../sources/backoff.js'

/** Slack may send an envelope again when its ack is late or lost; ids are remembered this long, across replicas. */
const ENVELOPE_MEMORY_MS = 3_600_000

export interface InteractionHandler {
  /**
   * What the ack carries, decided synchronously from the payload alone (a modal's validation errors must travel in
   * the ack: https://docs.slack.dev/surfaces/modals#displaying_errors). Never I/O: the ack goes out first.
   */
  ackPayload(body: unknown): Record<string, unknown> | undefined
  /** The work, after the ack and only for the first delivery of an envelope. */
  handle(body: unknown, envelopeId: string): Promise<void>
}

export interface SocketConnectionOptions {
  /** Built by the command layer with autoReconnectEnabled: false (see below). */
  client: SocketModeClient
  store: StateStore
  handler: InteractionHandler
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>
  now?: () => number
  reconnect?: { baseMs: number, capMs: number }
  /** How long a connection may take to say hello before it is dropped and tried again. */
  helloTimeoutMs?: number
}

export interface SocketConnection extends HasStatus {
  start(): void
  stop(): Promise<void>
  /** Envelopes acknowledged, and how many of them were repeats (handled once). */
  counts(): { acked: number, duplicates: number, connects: number }
}

const envelopeKey = (id: string) => `once#envelope#${/^[\w.-]{1,100}$/.test(id) ? id : sha256Hex(id, 32)}`

/**
 * The Socket Mode connection (https://docs.slack.dev/apis/events-api/using-socket-mode): every `interactive` envelope
 * is acknowledged at once (Slack wants the ack within 3 s), then handled once across replicas (`once` on its
 * envelope_id in the shared store: the same envelope can arrive twice, on either replica).
 *
 * Reconnection is ours, with jittered exponential backoff: @slack/socket-mode 3.1's own reconnect calls `start()`
 * from a timer without a catch, so a reconnect that fails for good (a revoked app token: invalid_auth) would be an
 * unhandled rejection, which ends a Node process. The client is built with autoReconnectEnabled: false and this
 * loop restarts it after every disconnect (Slack's `disconnect` refresh messages included) until stop().
 */
export function createSocketConnection(options: SocketConnectionOptions): SocketConnection {
  const { client, store, handler, log, now = Date.now } = options
  const delays = options.reconnect ?? { baseMs: 1_000, capMs: 60_000 }
  const helloTimeoutMs = options.helloTimeoutMs ?? 30_000
  const tracker = new StatusTracker(true, 'connecting to Slack (Socket Mode)', now())
  let warning: string | undefined = 'Socket Mode is not connected yet: alert buttons do nothing until it is'
  let stopped = false
  let looping = false
  let timer: NodeJS.Timeout | undefined
  let acked = 0
  let duplicates = 0
  let connects = 0

  const set = (ok: boolean, reason: string, warn?: string) => {
    warning = warn
    tracker.set(ok, reason, now())
  }

  client.on('connected', () => {
    connects += 1
    set(true, 'connected to Slack (Socket Mode): alert buttons work')
    log.info({ component: 'slack-socket', connects }, 'Socket Mode connected')
  })
  client.on('disconnected', () => {
    if (stopped) return
    set(true, 'Socket Mode disconnected; reconnecting', `Socket Mode disconnected at ${new Date(now()).toISOString()}: alert buttons do nothing until it reconnects (alerts are still posted)`)
    log.warn({ component: 'slack-socket' }, 'Socket Mode disconnected; reconnecting with backoff')
    connect()
  })

  client.on('interactive', (event: { ack?: (payload?: Record<string, unknown>) => Promise<void>, envelope_id?: unknown, body?: unknown }) => {
    void onEnvelope(event)
  })

  async function onEnvelope(event: { ack?: (payload?: Record<string, unknown>) => Promise<void>, envelope_id?: unknown, body?: unknown }): Promise<void> {
    const envelopeId = typeof event.envelope_id === 'string' ? event.envelope_id : ''
    let payload: Record<string, unknown> | undefined
    try {
      payload = handler.ackPayload(event.body)
    } catch (err) {
      log.error({ envelopeId, err: errorText(err) }, 'reading an interaction failed (a defect); acknowledging it anyway')
    }
    try {
      await event.ack?.(payload)
      acked += 1
    } catch (err) {
      // Slack sends it again; the envelope id makes sure it is handled once.
      log.warn({ envelopeId, err: errorText(err) }, 'could not acknowledge a Socket Mode envelope; Slack will resend it')
    }
    if (!envelopeId) return
    let first = true
    try {
      first = await store.once(envelopeKey(envelopeId), now() + ENVELOPE_MEMORY_MS, now())
    } catch (err) {
      // At least once rather than never: every action is safe to repeat (acks and vouches are per user, undo is idempotent).
      log.error({ envelopeId, err: errorText(err) }, 'the state store could not say whether this envelope was handled; handling it')
    }
    if (!first) {
      duplicates += 1
      log.info({ envelopeId }, 'Socket Mode envelope received again: already handled')
      return
    }
    try {
      await handler.handle(event.body, envelopeId)
    } catch (err) {
      log.error({ envelopeId, err: errorText(err) }, 'an alert action failed')
    }
  }

  function connect(): void {
    if (looping || stopped) return
    looping = true
    const attempt = async (n: number): Promise<void> => {
      if (stopped) return
      let hung: NodeJS.Timeout | undefined
      try {
        // A server that accepts the socket but never says hello would leave start() pending for ever.
        await Promise.race([
          client.start(),
          new Promise((_resolve, reject) => { hung = setTimeout(() => { reject(new Error('no hello from Slack')) }, helloTimeoutMs) }),
        ])
        looping = false
      } catch (err) {
        if (err instanceof Error && err.message === 'no hello from Slack') void client.disconnect().catch(() => undefined)
        const code = slackCode(err)
        const refused = code === 'invalid_auth' || code === 'not_allowed_token_type' || code === 'account_inactive' || code === 'token_revoked'
        if (refused) set(false, `Slack refused SLACK_APP_TOKEN (${code}): an app-level token (xapp-…) with connections:write is needed; retrying`)
        else set(true, 'Socket Mode could not connect; retrying', `Socket Mode could not connect (${code ?? 'network'}): alert buttons do nothing until it does`)
        const wait = backoff(n, delays)
        log.warn({ component: 'slack-socket', code, retryInMs: wait }, 'Socket Mode connection failed; retrying')
        timer = setTimeout(() => { void attempt(n + 1) }, wait)
      } finally {
        clearTimeout(hung)
      }
    }
    void attempt(1)
  }

  return {
    name: 'slack-socket',
    status(): ComponentStatus {
      const s = tracker.status
      return warning ? { ...s, warnings: [warning] } : s
    },
    start: connect,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await client.disconnect().catch(() => undefined)
    },
    counts: () => ({ acked, duplicates, connects }),
  }
}

function slackCode(err: unknown): string | undefined {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error
  return typeof code === 'string' ? code.slice(0, 60) : undefined
}

/** A thrown value's class and message, with nothing from a payload: handlers throw trailwarden's own errors or the SDK's. */
function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message.slice(0, 300)}` : typeof err
}
