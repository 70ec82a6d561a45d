import type { WebClient } from '@slack/web-api'
import type { EarlierAttempt } from '../../state/stateStore.js'
import { DeliveryError } from '../deliveryError.js'
import type { ChannelDirectory } from './channelDirectory.js'
import type { ChannelQueues } from './channelQueues.js'

/** chat.postMessage's metadata event type on every keyed post: the delivery key, so a takeover can find it. */
export const DELIVERY_EVENT_TYPE = 'trailwarden_delivery'

/** What a look for an earlier attempt's message found. `unknown`: it could not look (the caller posts, and says so). */
export type Lookup =
  | { kind: 'found', ts: string, channelId: string, inThread: boolean }
  | { kind: 'absent' }
  | { kind: 'unknown', reason: string }

/** Slack's clock and ours differ: look this much before the earlier attempt's first claim. */
const CLOCK_MARGIN_MS = 30_000
/** A scan answers the takeovers that come after it for this long (a kill leaves many in flight at once). */
const SCAN_REUSE_MS = 10_000
/** Most pages one scan reads (200 messages each) before it gives up and says it could not look. */
const MAX_PAGES = 25
const PAGE = 200

interface Scan {
  startedAt: number
  oldest: number
  keys: Promise<Map<string, string>>
}

interface HistoryPage {
  messages?: Array<{ ts?: string, bot_id?: string, metadata?: { event_type?: string, event_payload?: Record<string, unknown> } }>
  response_metadata?: { next_cursor?: string }
}

/**
 * Did an earlier attempt post this delivery? A claim closes every duplicate but one: a replica killed after Slack
 * accepted its post and before it could mark the claim delivered. Slack's chat.postMessage has no idempotency key,
 * so every keyed post carries the delivery key as message metadata
 * (https://docs.slack.dev/messaging/message-metadata), and the replica that takes the claim over reads the
 * channel's history since the first claim (conversations.history with include_all_metadata,
 * https://docs.slack.dev/reference/methods/conversations.history), and the dedup thread's replies
 * (conversations.replies), before it posts. One scan per channel serves every takeover of a burst.
 *
 * Needs channels:history (and groups:history for private channels). Without them, or without the channel's ID, it
 * answers `unknown` and the caller posts: at-least-once, as without shared state, never silence.
 */
export class PostedLookup {
  private readonly scans = new Map<string, Scan>()

  constructor(
    private readonly client: WebClient,
    private readonly queues: ChannelQueues,
    private readonly directory: ChannelDirectory,
    private readonly now: () => number,
    /** This app's bot (auth.test's bot_id, once known): another app's message with our metadata does not count. */
    private readonly botId: () => string | undefined = () => undefined,
  ) {}

  /** Rejects with a retryable DeliveryError when Slack cannot answer now (the claim stays; the retry looks again). */
  async find(channel: string, key: string, earlier: EarlierAttempt, threadTs?: string): Promise<Lookup> {
    const id = await this.directory.resolve(channel).catch(() => undefined)
    if (!id) return { kind: 'unknown', reason: `the ID of ${channel} is not known yet (no replica has posted there since the table was created)` }
    try {
      for (const thread of [undefined, ...(threadTs ? [threadTs] : [])]) {
        const keys = await this.scan(channel, id, earlier, thread)
        const ts = keys.get(key)
        if (ts !== undefined) return { kind: 'found', ts, channelId: id, inThread: thread !== undefined }
      }
      return { kind: 'absent' }
    } catch (err) {
      if (err instanceof DeliveryError && err.kind !== 'retryable') {
        const scope = err.code === 'missing_scope' ? ': add the channels:history and groups:history scopes' : ''
        return { kind: 'unknown', reason: `could not read ${channel}'s history (${err.code}${scope})` }
      }
      throw err
    }
  }

  private scan(channel: string, id: string, earlier: EarlierAttempt, threadTs: string | undefined): Promise<Map<string, string>> {
    const at = this.now()
    const name = `${id}:${threadTs ?? ''}`
    const oldest = earlier.since - CLOCK_MARGIN_MS
    const cached = this.scans.get(name)
    // Valid only if it began after the earlier lease ended (the dead owner's post, if any, had landed by then).
    if (cached && cached.startedAt >= earlier.until && cached.oldest <= oldest && at - cached.startedAt < SCAN_REUSE_MS) return cached.keys
    const keys = this.read(channel, id, oldest, threadTs)
    const scan = { startedAt: at, oldest, keys }
    this.scans.set(name, scan)
    keys.catch(() => {
      if (this.scans.get(name) === scan) this.scans.delete(name)
    })
    for (const [n, s] of this.scans) if (at - s.startedAt >= SCAN_REUSE_MS) this.scans.delete(n)
    return keys
  }

  private async read(channel: string, id: string, oldestMs: number, threadTs: string | undefined): Promise<Map<string, string>> {
    const keys = new Map<string, string>()
    const oldest = (Math.max(0, oldestMs) / 1000).toFixed(6)
    let cursor: string | undefined
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const args = { channel: id, oldest, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) }
      const page: HistoryPage = threadTs
        ? await this.queues.call(channel, 'conversations.replies', () => this.client.conversations.replies({ ...args, ts: threadTs }))
        : await this.queues.call(channel, 'conversations.history', () => this.client.conversations.history(args))
      const bot = this.botId()
      for (const m of page.messages ?? []) {
        if (bot !== undefined && m.bot_id !== bot) continue
        const key = m.metadata?.event_type === DELIVERY_EVENT_TYPE ? m.metadata.event_payload?.key : undefined
        if (typeof key === 'string' && typeof m.ts === 'string') keys.set(key, m.ts)
      }
      cursor = page.response_metadata?.next_cursor
      if (!cursor) return keys
    }
    throw new DeliveryError('configuration', channel, 'history_too_long', `more than ${String(MAX_PAGES)} pages of history since the earlier attempt`)
  }
}
