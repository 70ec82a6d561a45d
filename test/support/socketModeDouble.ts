import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/**
 * Slack's Socket Mode end on 127.0.0.1, for the real @slack/socket-mode client: the Slack double's
 * apps.connections.open answers this server's ws:// URL. As Slack does
 * (https://docs.slack.dev/apis/events-api/using-socket-mode), it greets each connection with `hello`, sends envelopes
 * `{ envelope_id, type: 'interactive', payload, accepts_response_payload }`, expects `{ envelope_id, payload? }` acks,
 * may send an envelope again, and may drop the connection.
 */
export interface Ack { envelopeId: string, payload: unknown, at: number }

export interface SocketModeDouble {
  readonly url: string
  /** Connections accepted so far (a reconnect adds one). */
  accepted(): number
  /** Connections open now. */
  open(): number
  readonly acks: Ack[]
  /** Send an `interactive` envelope to one open connection (default: the newest); returns its envelope_id. */
  sendInteractive(payload: Record<string, unknown>, options?: { to?: number, envelopeId?: string }): string
  /** Send an envelope sent before again (Slack's retry), to another connection when there is one. */
  resend(envelopeId: string, options?: { to?: number }): void
  /** Cut every open connection without a close handshake (a network drop). */
  drop(): void
  ackOf(envelopeId: string): Ack[]
  close(): Promise<void>
}

/** `hello: false`: accept connections and say nothing (a stuck Slack end). */
export async function startSocketModeDouble({ hello = true } = {}): Promise<SocketModeDouble> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const sockets: WebSocket[] = []
  const sent = new Map<string, string>()
  const acks: Ack[] = []
  let accepted = 0
  let counter = 0

  server.on('connection', (ws) => {
    accepted += 1
    sockets.push(ws)
    ws.on('close', () => { sockets.splice(sockets.indexOf(ws), 1) })
    ws.on('message', (data: Buffer) => {
      try {
        const m = JSON.parse(data.toString('utf8')) as { envelope_id?: unknown, payload?: unknown }
        if (typeof m.envelope_id === 'string') acks.push({ envelopeId: m.envelope_id, payload: m.payload, at: Date.now() })
      } catch {
        // not an ack
      }
    })
    if (hello) ws.send(JSON.stringify({
      type: 'hello',
      num_connections: sockets.length,
      debug_info: { host: 'applink-double-1', build_number: 118, approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0TRAILWRD' },
    }))
  })

  const target = (to: number | undefined): WebSocket => {
    const ws = to === undefined ? sockets.at(-1) : sockets[to]
    if (!ws) throw new Error('socketModeDouble: no open connection')
    return ws
  }

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=double`,
    accepted: () => accepted,
    open: () => sockets.length,
    acks,
    sendInteractive(payload, options = {}) {
      counter += 1
      const envelopeId = options.envelopeId ?? `8f3c2a1e-0b7d-4c55-9e21-${String(counter).padStart(12, '0')}`
      const frame = JSON.stringify({ envelope_id: envelopeId, payload, type: 'interactive', accepts_response_payload: payload.type === 'view_submission' })
      sent.set(envelopeId, frame)
      target(options.to).send(frame)
      return envelopeId
    },
    resend(envelopeId, options = {}) {
      const frame = sent.get(envelopeId)
      if (!frame) throw new Error(`socketModeDouble: envelope ${envelopeId} was never sent`)
      const to = options.to ?? (sockets.length > 1 ? 0 : undefined)
      target(to).send(JSON.stringify({ ...(JSON.parse(frame) as object), retry_attempt: 1, retry_reason: 'timeout' }))
    },
    drop() {
      for (const ws of [...sockets]) ws.terminate()
    },
    ackOf: (id) => acks.filter((a) => a.envelopeId === id),
    async close() {
      for (const ws of [...sockets]) ws.terminate()
      await new Promise<void>((resolve) => {
        server.close(() => { resolve() })
      })
    },
  }
}

/** A real-shaped block_actions payload for a button on an alert message (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload). */
export function blockActionsPayload(
  input: { user: string, actionId: string, value: string, channel: string, ts: string, blocks: unknown[] | undefined, text?: string },
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: input.user, username: 'alice', name: 'alice', team_id: 'T0TEAM' },
    api_app_id: 'A0TRAILWRD',
    token: 'Shh_this_is_a_verification_token',
    container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: false },
    trigger_id: '1388105719492.1379717998065.9bc163894734c1f415a2c504e81dec91',
    team: { id: 'T0TEAM', domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'prod-changes' },
    message: { bot_id: 'B0BOT', type: 'message', text: input.text ?? '', user: 'U0BOT', ts: input.ts, team: 'T0TEAM', blocks: input.blocks },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0TEAM/1388105719492/abcdefghijklmnopqrstuvwx',
    actions: [{ action_id: input.actionId, block_id: 'tw-actions', text: { type: 'plain_text', text: 'button', emoji: true }, value: input.value, type: 'button', action_ts: '1700000100.000200' }],
  }
}

/** A real-shaped view_submission payload of the Silence modal (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload). */
export function silenceSubmissionPayload(
  input: { user: string, privateMetadata: string, scope: string, for: string, until?: string, reason: string },
): Record<string, unknown> {
  const option = (value: string) => ({ text: { type: 'plain_text', text: value, emoji: true }, value })
  return {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'example' },
    user: { id: input.user, username: 'alice', name: 'alice', team_id: 'T0TEAM' },
    api_app_id: 'A0TRAILWRD',
    token: 'Shh_this_is_a_verification_token',
    trigger_id: '1388105719492.1379717998065.0a1b2c3d4e5f',
    view: {
      id: 'V0SILENCE1',
      team_id: 'T0TEAM',
      type: 'modal',
      callback_id: 'tw_silence',
      private_metadata: input.privateMetadata,
      hash: '1700000200.AbCdEf12',
      state: {
        values: {
          'tw-scope': { scope: { type: 'radio_buttons', selected_option: option(input.scope) } },
          'tw-for': { for: { type: 'static_select', selected_option: option(input.for) } },
          'tw-until': { until: { type: 'datepicker', selected_date: input.until ?? null } },
          'tw-reason': { reason: { type: 'plain_text_input', value: input.reason } },
        },
      },
      app_id: 'A0TRAILWRD',
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  }
}
