import { once } from 'node:events'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A Slack Web API double on 127.0.0.1 for the real @slack/web-api WebClient (pass `slackApiUrl`).
 *
 * It answers the way Slack's Web API does (https://api.slack.com/web): HTTP 200 with
 * `{ ok: true, … }` or `{ ok: false, error: "<code>" }`; HTTP 429 with a `Retry-After` header (seconds)
 * when rate limited; bodies form-encoded with `blocks`/`metadata` as JSON strings, or JSON.
 */
export type SlackReply =
  | { kind: 'ok' }
  | { kind: 'error', error: string }
  | { kind: 'rateLimited', retryAfterSeconds: number }
  | { kind: 'http', status: number }
  | { kind: 'slow', delayMs: number, then?: SlackReply }
  | { kind: 'hang' }

export interface SlackCall {
  method: string
  args: Record<string, unknown>
  token: string | undefined
  /** What the double answered. */
  reply: SlackReply['kind']
  at: number
}

export interface Posted {
  channel: string
  ts: string
  text: string
  blocks: unknown[] | undefined
  threadTs: string | undefined
  /** chat.postMessage's `metadata` (https://docs.slack.dev/messaging/message-metadata), as conversations.history returns it. */
  metadata?: { event_type: string, event_payload: Record<string, unknown> } | undefined
  /** The app that posted it, as history shows it (default: this double's bot, B0BOT, as auth.test names it). */
  botId?: string
}

export interface SlackDouble {
  /** Give this to `new WebClient(token, { slackApiUrl })`. */
  readonly url: string
  /** Every call in arrival order, including failed ones. */
  readonly calls: SlackCall[]
  /** Messages that were accepted (chat.postMessage answered ok), with chat.update applied. */
  readonly messages: Posted[]
  /** Answer the next calls of `method` with these replies, in order; then answer normally. */
  script(method: string, ...replies: SlackReply[]): void
  /** Decide each reply in code (an outage window, say); return undefined for the normal answer. */
  setResponder(
    fn: ((call: { method: string, args: Record<string, unknown> }) => SlackReply | undefined) | undefined,
  ): void
  callsOf(method: string): SlackCall[]
  /** The workspace's user groups, as usergroups.list lists them (default: DEFAULT_USER_GROUPS). */
  setUserGroups(groups: UserGroup[]): void
  /** apps.connections.open answers this WebSocket URL (test/support/socketModeDouble.ts). */
  setSocketUrl(url: string | undefined): void
  /** Answer an ok call of `method` with this body (methods the double does not know, e.g. usergroups.list). */
  handle(method: string, answer: ((args: Record<string, unknown>) => Record<string, unknown>) | undefined): void
  /**
   * The most messages one conversations.history / conversations.replies page holds (default 1000, Slack's maximum;
   * 15 for the non-Marketplace apps Slack limited in 2025).
   */
  setHistoryPageMax(max: number): void
  reset(): void
  close(): Promise<void>
}

/** A user group as usergroups.list returns it (https://api.slack.com/methods/usergroups.list, "Typical success response"). */
export interface UserGroup {
  id: string
  handle: string
  name: string
  date_delete?: number
}

export const DEFAULT_USER_GROUPS: UserGroup[] = [
  { id: 'S0SECONCALL', handle: 'security-oncall', name: 'Security on call' },
  { id: 'S0PLATFORM1', handle: 'platform-oncall', name: 'Platform on call' },
  { id: 'S0OLDTEAM01', handle: 'old-team', name: 'Old team (disabled)', date_delete: 1700000000 },
]

const KNOWN_CHANNELS = new Map([
  ['#alerts', 'C0ALERTS'],
  ['#prod-changes', 'C0PRODCH'],
  ['#security', 'C0SECURE'],
  ['#fallback', 'C0FALLBK'],
])

export async function startSlackDouble({ validToken = 'xoxb-test-token', validAppToken = 'xapp-1-A0TRAILWRD-1-test' } = {}): Promise<SlackDouble> {
  let socketUrl: string | undefined
  const handlers = new Map<string, (args: Record<string, unknown>) => Record<string, unknown>>()
  const calls: SlackCall[] = []
  const messages: Posted[] = []
  const scripts = new Map<string, SlackReply[]>()
  const hanging = new Set<ServerResponse>()
  let responder:
    | ((call: { method: string, args: Record<string, unknown> }) => SlackReply | undefined)
    | undefined
  let tsCounter = 0
  let userGroups: UserGroup[] = DEFAULT_USER_GROUPS
  let historyPageMax = 1000

  // Like Slack's: epoch seconds, then a part that makes it unique; increasing, so oldest/latest compare as numbers.
  const nextTs = () => {
    tsCounter += 1
    return `${String(Math.floor(Date.now() / 1000))}.${String(tsCounter).padStart(6, '0')}`
  }

  /**
   * A page of conversations.history or .replies: newest first for history, oldest first for replies; `oldest` and
   * `latest` exclusive unless `inclusive`; metadata only with include_all_metadata; the cursor is an offset
   * (https://docs.slack.dev/reference/methods/conversations.history).
   */
  const page = (found: Posted[], args: Record<string, unknown>): Record<string, unknown> => {
    const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1'
    const oldest = Number(args.oldest ?? 0)
    const latest = args.latest === undefined ? Infinity : Number(args.latest)
    const within = found.filter((m) => {
      const ts = Number(m.ts)
      return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest)
    })
    const limit = Math.min(historyPageMax, Number(args.limit ?? 100) || 100)
    const start = typeof args.cursor === 'string' && args.cursor !== '' ? Number(Buffer.from(args.cursor, 'base64').toString('utf8').replace('offset:', '')) : 0
    const slice = within.slice(start, start + limit)
    const more = start + limit < within.length
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1'
    return {
      ok: true,
      messages: slice.map((m) => ({
        type: 'message', user: 'U0BOT', bot_id: m.botId ?? 'B0BOT', text: m.text, ts: m.ts, ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
        ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      })),
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(`offset:${String(start + limit)}`).toString('base64') : '' },
    }
  }
  /** Conversation IDs only: conversations.history and .replies take no #name (channel_not_found). */
  const conversationId = (value: unknown): string | undefined => (typeof value === 'string' && /^[CGD][A-Z0-9]+$/.test(value) ? value : undefined)

  const channelId = (name: unknown): string | undefined => {
    if (typeof name !== 'string') return undefined
    if (/^[CGD][A-Z0-9]+$/.test(name)) return name
    return KNOWN_CHANNELS.get(name)
  }

  const answerOk = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const custom = handlers.get(method)
    if (custom) return custom(args)
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'trailwarden',
          team_id: 'T0TEAM',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        }
      case 'chat.postMessage': {
        const channel = channelId(args.channel)
        if (!channel) return { ok: false, error: 'channel_not_found' }
        const ts = nextTs()
        const metadata = parseJsonObject(args.metadata)
        messages.push({
          channel,
          ts,
          text: typeof args.text === 'string' ? args.text : '',
          blocks: parseJsonField(args.blocks),
          threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
          ...(metadata && typeof metadata.event_type === 'string' ? { metadata: { event_type: metadata.event_type, event_payload: parseJsonObject(metadata.event_payload) ?? {} } } : {}),
        })
        return { ok: true, channel, ts, message: { text: args.text, ts } }
      }
      case 'chat.update': {
        const channel = channelId(args.channel)
        const msg = messages.find((m) => m.channel === channel && m.ts === args.ts)
        if (!msg) return { ok: false, error: 'message_not_found' }
        msg.text = typeof args.text === 'string' ? args.text : msg.text
        msg.blocks = parseJsonField(args.blocks) ?? msg.blocks
        return { ok: true, channel, ts: msg.ts, text: msg.text }
      }
      case 'conversations.history': {
        const channel = conversationId(args.channel)
        if (!channel) return { ok: false, error: 'channel_not_found' }
        // Top-level messages only (replies stay in their threads), newest first.
        return page(messages.filter((m) => m.channel === channel && (m.threadTs === undefined || m.threadTs === m.ts)).reverse(), args)
      }
      case 'conversations.replies': {
        const channel = conversationId(args.channel)
        if (!channel) return { ok: false, error: 'channel_not_found' }
        const parent = messages.find((m) => m.channel === channel && m.ts === args.ts)
        if (!parent) return { ok: false, error: 'thread_not_found' }
        return page([parent, ...messages.filter((m) => m.channel === channel && m.threadTs === args.ts && m.ts !== args.ts)], args)
      }
      case 'views.open':
        // https://docs.slack.dev/reference/methods/views.open: the opened view, with its id.
        return typeof args.trigger_id === 'string' && args.trigger_id !== '' ? { ok: true, view: { id: 'V0SILENCE1', ...(parseJsonObject(args.view) ?? {}) } } : { ok: false, error: 'invalid_trigger_id' }
      case 'chat.postEphemeral': {
        const channel = channelId(args.channel)
        if (!channel) return { ok: false, error: 'channel_not_found' }
        return { ok: true, message_ts: nextTs() }
      }
      case 'conversations.info': {
        const channel = channelId(args.channel)
        if (!channel) return { ok: false, error: 'channel_not_found' }
        return {
          ok: true,
          channel: { id: channel, name: String(args.channel).replace(/^#/, ''), is_member: true },
        }
      }
      case 'usergroups.list': {
        // Disabled groups (date_delete set) only with include_disabled, as Slack does.
        const all = args.include_disabled === true || args.include_disabled === 'true' || args.include_disabled === '1'
        return {
          ok: true,
          usergroups: userGroups.filter((g) => all || !g.date_delete).map((g) => ({
            id: g.id, team_id: 'T0TEAM', is_usergroup: true, is_subteam: true, name: g.name, description: '', handle: g.handle, is_external: false,
            date_create: 1446598059, date_update: 1446670362, date_delete: g.date_delete ?? 0, auto_type: null, created_by: 'U0ADMIN', updated_by: 'U0ADMIN',
            deleted_by: null, prefs: { channels: [], groups: [] }, user_count: 2,
          })),
        }
      }
      default:
        return { ok: false, error: 'unknown_method' }
    }
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }

  /** What to answer: status, body, headers; undefined for a hanging call. */
  const answer = async (
    r: SlackReply,
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): Promise<[number, unknown, Record<string, string>?] | undefined> => {
    switch (r.kind) {
      case 'ok':
        // apps.connections.open takes the app-level token only (https://docs.slack.dev/reference/methods/apps.connections.open).
        if (method === 'apps.connections.open') {
          if (token === validToken) return [200, { ok: false, error: 'not_allowed_token_type' }]
          if (token !== validAppToken) return [200, { ok: false, error: 'invalid_auth' }]
          return [200, socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'internal_error' }]
        }
        return token === validToken ? [200, answerOk(method, args)] : [200, { ok: false, error: 'invalid_auth' }]
      case 'error':
        // Slack names the scope a missing_scope call needed and the ones the token has.
        return [200, r.error === 'missing_scope' ? { ok: false, error: r.error, needed: scopeOf(method), provided: 'chat:write' } : { ok: false, error: r.error }]
      case 'rateLimited':
        return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(r.retryAfterSeconds) }]
      case 'http':
        return [r.status, { ok: false, error: `http_${String(r.status)}` }]
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, r.delayMs))
        return answer(r.then ?? { kind: 'ok' }, method, args, token)
      case 'hang':
        return undefined
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? ''
    const raw = await readBody(req)
    const args = parseArgs(raw, req.headers['content-type'])
    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : undefined
    delete args.token
    const queued = scripts.get(method)
    const chosen = queued?.shift() ?? responder?.({ method, args }) ?? { kind: 'ok' }
    calls.push({ method, args, token, reply: chosen.kind, at: Date.now() })
    const response = await answer(chosen, method, args, token)
    if (response) {
      send(res, ...response)
    } else {
      hanging.add(res)
      res.on('close', () => hanging.delete(res))
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { send(res, 500, { ok: false, error: String(err) }) })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    script(method, ...replies) {
      scripts.set(method, [...(scripts.get(method) ?? []), ...replies])
    },
    setResponder(fn) {
      responder = fn
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method)
    },
    setUserGroups(groups) {
      userGroups = groups
    },
    setHistoryPageMax(max) {
      historyPageMax = max
    },
    setSocketUrl(url) {
      socketUrl = url
    },
    handle(method, answer) {
      if (answer) handlers.set(method, answer)
      else handlers.delete(method)
    },
    reset() {
      userGroups = DEFAULT_USER_GROUPS
      historyPageMax = 1000
      calls.length = 0
      messages.length = 0
      scripts.clear()
      responder = undefined
    },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    },
  }
}

const scopeOf = (method: string): string =>
  method.startsWith('usergroups.') ? 'usergroups:read' : method.startsWith('conversations.') ? 'channels:history,groups:history' : 'chat:write'

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
  return Object.fromEntries(new URLSearchParams(raw))
}

function parseJsonObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function parseJsonField(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[]
  if (typeof value !== 'string') return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/**
 * One Slack double for a test file: started before its tests, reset before each, closed after. Returns an accessor,
 * like useSqsEmulator().
 */
export function useSlackDouble(): () => SlackDouble {
  let slack: SlackDouble | undefined
  beforeAll(async () => {
    slack = await startSlackDouble()
  })
  afterAll(async () => {
    await slack?.close()
  })
  beforeEach(() => {
    slack?.reset()
  })
  return () => {
    if (!slack) throw new Error('useSlackDouble(): the double is not started yet (use it inside a test)')
    return slack
  }
}
