import { LRUCache } from 'lru-cache'
import type { Alert } from '../../core/alerts/alert.js'
import { findingsOf } from '../../core/alerts/findings.js'
import { moreLikeThis } from '../../core/alerts/renderSlack.js'
import { renderReplySafely, renderSlackSafely } from '../../core/alerts/renderSafely.js'
import { LIMITS, type SlackMessage } from '../../core/alerts/slackBlocks.js'
import type { Target } from '../../core/alerts/routeAlert.js'
import type { StateStore } from '../../state/stateStore.js'
import { StateUnavailable } from '../../state/stateUnavailable.js'
import type { DeliveryOutcome } from '../alertSink.js'
import { DeliveryError } from '../deliveryError.js'
import { deliveryKey } from './deliveryKey.js'
import { memoryKey } from './memoryKey.js'
import type { Posted, SlackPoster } from './slackPoster.js'

interface Thread {
  parent: Posted
  /**
   * The parent as rendered when it was posted, without its "more like this" footer. Kept rendered, not as the
   * Alert: the rendering is bounded by Slack's limits, an Alert's event-derived strings are not (#16).
   */
  rendered: SlackMessage
  count: number
  windowEnd: number
}

export interface DedupThreadsOptions {
  now: () => number
  /** Most threads remembered, and most bytes their rendered parents may hold (the older ones are forgotten first). */
  maxEntries?: number
  maxBytes?: number
  /**
   * Shared state (#19): the first replica to claim a dedup group posts the parent, the others reply in its thread,
   * and the live count is one atomic counter. Absent: this process's memory.
   */
  store?: StateStore | undefined
  owner?: string
}

/** A thread as the store keeps it: the parent being posted by `pending`, or posted (ts, channel id, rendering). */
interface SharedThread {
  pending?: string
  ts?: string
  channelId?: string
  /** The parent's rendering for chat.update; left out when too large for a record (then only replies, no count). */
  rendered?: SlackMessage
}

/** How long a replica may take to post a parent before another may (it died). */
const PARENT_LEASE_MS = 60_000
/** Renderings above this are not stored with the thread (records are at most 64 KiB). */
const MAX_SHARED_RENDERING = 48 * 1024

/** Rough bytes of a thread: its rendered parent as JSON, in UTF-16 code units (V8's two-byte strings), plus a key. */
const threadSize = (t: Thread): number => 2 * (JSON.stringify(t.rendered).length + t.parent.ts.length + t.parent.channelId.length) + 128

/**
 * Dedup threads: inside a rule's dedup window, the first match of a key posts a parent and later ones reply in its
 * thread (chat.postMessage with thread_ts = the parent's ts, https://api.slack.com/methods/chat.postMessage), with a live count on the parent
 * via chat.update. A forgotten thread (evicted, or past its window) only means the next match starts a new parent.
 */
export class DedupThreads {
  private readonly threads: LRUCache<string, Thread>

  constructor(private readonly options: DedupThreadsOptions) {
    this.threads = new LRUCache<string, Thread>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      sizeCalculation: threadSize,
    })
  }

  /**
   * Whether a match of this rule and dedup key would reply in a live thread now (the sink splits grouped alerts by
   * it): this process's, or with shared state any replica's. Rejects with a retryable DeliveryError when the store
   * cannot answer (a second thread is not posted on a guess).
   */
  async live(channel: string, ruleId: string, dedupKey: string): Promise<boolean> {
    const key = memoryKey(channel, ruleId, dedupKey)
    const thread = this.threads.get(key)
    if (thread !== undefined && this.options.now() < thread.windowEnd) return true
    const { store } = this.options
    if (!store) return false
    try {
      return (((await store.get(`thread#${key}`, this.options.now()))?.value as SharedThread | undefined)?.ts) !== undefined
    } catch (err) {
      if (err instanceof StateUnavailable) throw new DeliveryError('retryable', channel, 'state_unavailable', err.message)
      throw err
    }
  }

  /**
   * A single finding whose thread is live replies there; anything else (a grouped alert, whose findings' threads the
   * sink found not live) posts a parent that becomes the thread of every finding with a dedup key.
   */
  async deliver(alert: Alert, target: Target, poster: SlackPoster): Promise<DeliveryOutcome> {
    // Shared state: one rule's dedup group has one thread across replicas. A grouped message posted as a new parent
    // records itself as the thread of each of its findings' groups (record(), below); the sink replies in a live one.
    if (this.options.store && alert.dedup && !alert.also) {
      try {
        return await this.deliverShared({ ...alert, dedup: alert.dedup }, target, poster, this.options.store)
      } catch (err) {
        if (err instanceof StateUnavailable) throw new DeliveryError('retryable', target.channel, 'state_unavailable', err.message)
        throw err
      }
    }
    const { channel } = target
    const key = alert.dedup ? memoryKey(channel, alert.ruleId, alert.dedup.key) : undefined
    const thread = key === undefined || alert.also ? undefined : this.threads.get(key)
    if (thread && this.options.now() < thread.windowEnd) {
      const reply = await poster.postAlert(alert, channel, renderReplySafely(alert), thread.parent.ts, deliveryKey(alert, channel))
      thread.count += 1
      // The same message renderSlack(parent, { more }) gives: the footer goes last, within Slack's block limit.
      const parent = { text: thread.rendered.text, blocks: [...thread.rendered.blocks, moreLikeThis(thread.count, alert.eventTime)].slice(0, LIMITS.blocks) }
      // The reply is delivered; a failed count update must not make SQS redeliver it.
      await poster.update(channel, thread.parent, parent).catch(() => undefined)
      return { status: 'threaded', channel, ts: reply.ts }
    }
    const rendered = renderSlackSafely(alert, { mention: target.mention })
    const posted = await poster.postAlert(alert, channel, rendered, undefined, deliveryKey(alert, channel))
    // Each finding's thread, one entry per dedup key; a grouped parent's footer counts the replies of the key whose
    // match came last (the entries do not share a count).
    for (const f of findingsOf(alert)) {
      if (!f.dedup) continue
      this.threads.set(memoryKey(channel, f.ruleId, f.dedup.key), { parent: posted, rendered, count: 0, windowEnd: this.options.now() + f.dedup.windowMs })
      // With shared state, every replica replies under this parent too (unless another replica's thread exists).
      await this.record(memoryKey(channel, f.ruleId, f.dedup.key), posted, rendered, f.dedup.windowMs)
    }
    return { status: 'posted', channel, ts: posted.ts }
  }

  /**
   * The parent's ts of the thread this alert would reply in (this process's or the shared one), if any: where a
   * takeover looks for a reply an earlier attempt may have posted (postedLookup.ts).
   */
  async parentOf(alert: Alert, channel: string): Promise<string | undefined> {
    if (!alert.dedup || alert.also) return undefined
    const key = memoryKey(channel, alert.ruleId, alert.dedup.key)
    // With a store, the shared thread is the one deliverShared replies in; this process's memory only without one.
    const { store } = this.options
    if (!store) return this.threads.get(key)?.parent.ts
    const found = await store.get(`thread#${key}`, this.options.now()).catch(() => undefined)
    return (found?.value as SharedThread | undefined)?.ts ?? this.threads.get(key)?.parent.ts
  }

  /**
   * A parent found in Slack after a takeover (postedLookup.ts): its replica died after posting it, before recording
   * the thread. Recorded now (if nobody has a thread for the group), so the group keeps one thread. Never throws.
   */
  async adopt(alert: Alert, target: Target, parent: Posted): Promise<void> {
    if (!alert.dedup || alert.also) return
    const { channel } = target
    const rendered = renderSlackSafely(alert, { mention: target.mention })
    const local = memoryKey(channel, alert.ruleId, alert.dedup.key)
    if (!this.threads.get(local)) this.threads.set(local, { parent, rendered, count: 0, windowEnd: this.options.now() + alert.dedup.windowMs })
    await this.record(local, parent, rendered, alert.dedup.windowMs)
  }

  /** The group's shared thread, unless one with a parent exists. Best effort: without it, the next match starts one. */
  private async record(local: string, parent: Posted, rendered: SlackMessage, windowMs: number): Promise<void> {
    const { now, store } = this.options
    if (!store) return
    const key = `thread#${local}`
    try {
      const found = await store.get(key, now())
      if ((found?.value as SharedThread | undefined)?.ts !== undefined) return
      const small = JSON.stringify(rendered).length <= MAX_SHARED_RENDERING
      const shared: SharedThread = { ts: parent.ts, channelId: parent.channelId, ...(small ? { rendered } : {}) }
      await store.put(key, shared, now() + windowMs, found?.version, now())
    } catch {
      // Nothing to undo: the post stands.
    }
  }

  private async deliverShared(
    alert: Alert & { dedup: NonNullable<Alert['dedup']> },
    target: Target,
    poster: SlackPoster,
    store: StateStore,
  ): Promise<DeliveryOutcome> {
    const { channel } = target
    const { now } = this.options
    const owner = this.options.owner ?? 'this-process'
    const key = `thread#${memoryKey(channel, alert.ruleId, alert.dedup.key)}`
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await store.get(key, now())
      const thread = found?.value as SharedThread | undefined
      if (found && thread?.ts !== undefined) {
        const reply = await poster.postAlert(alert, channel, renderReplySafely(alert), thread.ts, deliveryKey(alert, channel))
        const count = await store.increment(`count#${key}`, 1, found.expiresAt, now()).catch(() => undefined)
        if (count !== undefined && thread.rendered && thread.channelId) {
          const blocks = [...thread.rendered.blocks, moreLikeThis(count, alert.eventTime)].slice(0, LIMITS.blocks)
          // The reply is delivered; a failed count update must not make SQS redeliver it.
          await poster.update(channel, { ts: thread.ts, channelId: thread.channelId }, { text: thread.rendered.text, blocks }).catch(() => undefined)
        }
        return { status: 'threaded', channel, ts: reply.ts }
      }
      if (found && thread?.pending !== undefined && thread.pending !== owner) {
        throw new DeliveryError('retryable', channel, 'thread_parent_pending', `another replica is posting this dedup group's parent in ${channel}`, found.expiresAt)
      }
      // Nobody has (or the parent's poster died): claim the group, post the parent, then record it.
      if (!(await store.put(key, { pending: owner } satisfies SharedThread, now() + PARENT_LEASE_MS, found?.version, now()))) continue
      const rendered = renderSlackSafely(alert, { mention: target.mention })
      let posted: Posted
      try {
        posted = await poster.postAlert(alert, channel, rendered, undefined, deliveryKey(alert, channel))
      } catch (err) {
        // Give the group back at once: an expired record is as good as none.
        await store.put(key, {}, now(), (found?.version ?? 0) + 1, now()).catch(() => undefined)
        throw err
      }
      const small = JSON.stringify(rendered).length <= MAX_SHARED_RENDERING
      const shared: SharedThread = { ts: posted.ts, channelId: posted.channelId, ...(small ? { rendered } : {}) }
      await store.put(key, shared, now() + alert.dedup.windowMs, (found?.version ?? 0) + 1, now()).catch(() => undefined)
      return { status: 'posted', channel, ts: posted.ts }
    }
    throw new DeliveryError('retryable', channel, 'thread_contended', `the dedup group's thread in ${channel} kept changing; retried later`)
  }

  /** What the remembered threads hold, by the cache's own size calculation. */
  get bytes(): number {
    return this.threads.calculatedSize
  }
}
