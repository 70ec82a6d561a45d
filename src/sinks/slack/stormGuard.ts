import { LRUCache } from 'lru-cache'
import type { Alert } from '../../core/alerts/alert.js'
import { memoryKey } from './memoryKey.js'

interface Pending {
  alert: Alert
  resolve: (ts: string) => void
  reject: (err: unknown) => void
}

interface ChannelStorm {
  arrivals: number[]
  active: boolean
  since: number
  buffer: Pending[]
  timer?: NodeJS.Timeout | undefined
  /** Shared counting: the wall-clock minute counted, this replica's arrivals in it, how many of them were added. */
  minute: number
  mine: number
  synced: number
  /** The other replicas' arrivals this minute, as of the last sync. */
  others: number
  syncing?: NodeJS.Timeout | undefined
}

/**
 * A count all replicas add to: `add` puts this replica's new arrivals in a channel's wall-clock minute and answers the
 * minute's total (an atomic counter in the state store).
 */
export interface SharedStormCount {
  add(channel: string, minute: number, by: number): Promise<number>
  /** How often a replica adds its arrivals (default 2 s): the price is one call per channel and period, not per alert. */
  syncMs?: number
}

const WINDOW_MS = 60_000
/** A 32-character key and `true`, in two-byte characters, with the cache's node. */
const COUNTED_ENTRY_BYTES = 2 * 32 + 64

const minuteOf = (t: number): number => Math.floor(t / WINDOW_MS)

/** Arrivals are pushed in time order, so the ones older than the window are all at the front. */
function prune(arrivals: number[], now: number): void {
  const firstRecent = arrivals.findIndex((at) => now - at < WINDOW_MS)
  const old = firstRecent < 0 ? arrivals.length : firstRecent
  if (old > 0) arrivals.splice(0, old)
}

/**
 * Per channel, counts alerts arriving in the last minute. Above the threshold the channel switches to digests:
 * alerts are buffered and posted as one summary every interval; each alert's delivery resolves when the digest
 * holding it is posted (or rejects if that fails, so the SQS message is redelivered). Below it again, normal posting
 * resumes. With shared state the other replicas' arrivals count too: each replica adds its own to a per-channel,
 * per-minute counter every couple of seconds and learns the total, so two replicas sharing a channel's load switch
 * together at the threshold, not each at its own.
 */
export class StormGuard {
  private readonly channels = new Map<string, ChannelStorm>()
  /**
   * Alerts already counted this window: a redelivery after a failure is not a new arrival. Keyed by a fixed-size
   * hash of (channel, event, record, rule): an eventID is event-derived and unbounded.
   */
  private readonly counted = new LRUCache<string, true>({
    max: 50_000,
    ttl: WINDOW_MS,
    maxSize: 50_000 * COUNTED_ENTRY_BYTES,
    sizeCalculation: () => COUNTED_ENTRY_BYTES,
  })

  private threshold: number

  constructor(
    private readonly options: {
      threshold: number
      intervalMs: number
      now: () => number
      flush: (channel: string, alerts: Alert[], since: number) => Promise<string>
      /** With shared state: the channel's arrivals are counted across replicas (#19), so two replicas digest as one. */
      shared?: SharedStormCount | undefined
    },
  ) {
    this.threshold = options.threshold
  }

  /** A reload changed slack.stormThreshold: it applies from the next arrival (and the next flush's check). */
  configure({ threshold }: { threshold: number }): void {
    this.threshold = threshold
  }

  /** What the arrivals memory holds, by its own size calculation (the buffers are bounded by messages in work). */
  get bytes(): number {
    return this.counted.calculatedSize
  }

  /** Record an arrival; in a storm, the alert joins the next digest and a promise of its ts is returned. */
  offer(channel: string, alert: Alert): Promise<string> | undefined {
    const t = this.options.now()
    let s = this.channels.get(channel)
    if (!s) {
      s = { arrivals: [], active: false, since: t, buffer: [], minute: minuteOf(t), mine: 0, synced: 0, others: 0 }
      this.channels.set(channel, s)
    }
    prune(s.arrivals, t)
    this.turnMinute(s, t)
    const key = memoryKey(channel, alert.eventKey, alert.recordDigest, alert.ruleId)
    if (!this.counted.has(key)) {
      this.counted.set(key, true)
      s.arrivals.push(t)
      s.mine += 1
      this.scheduleSync(channel, s)
    }
    if (!s.active && s.arrivals.length + s.others > this.threshold) {
      s.active = true
      s.since = t
      s.timer = setInterval(() => void this.flush(channel), this.options.intervalMs)
      s.timer.unref()
    }
    if (!s.active) return undefined
    const storm = s
    return new Promise<string>((resolve, reject) => storm.buffer.push({ alert, resolve, reject }))
  }

  private async flush(channel: string): Promise<void> {
    const s = this.channels.get(channel)
    if (!s) return
    const batch = s.buffer.splice(0)
    if (batch.length > 0) {
      try {
        const ts = await this.options.flush(channel, batch.map((p) => p.alert), s.since)
        for (const p of batch) p.resolve(ts)
      } catch (err) {
        for (const p of batch) p.reject(err)
      }
      s.since = this.options.now()
    }
    const t = this.options.now()
    prune(s.arrivals, t)
    this.turnMinute(s, t)
    if (s.buffer.length === 0 && s.arrivals.length + s.others <= this.threshold) {
      clearInterval(s.timer)
      s.active = false
    }
  }

  /**
   * The others' count is per wall-clock minute (every replica cuts the same minutes); this replica's own is its last
   * 60 s. A new minute starts the shared part from zero.
   */
  private turnMinute(s: ChannelStorm, t: number): void {
    const minute = minuteOf(t)
    if (minute === s.minute) return
    Object.assign(s, { minute, mine: 0, synced: 0, others: 0 })
  }

  /** One add per channel and period with arrivals; a failed add only means this replica counts alone for a while. */
  private scheduleSync(channel: string, s: ChannelStorm): void {
    const { shared } = this.options
    if (!shared || s.syncing) return
    s.syncing = setTimeout(() => {
      s.syncing = undefined
      const { minute } = s
      const by = s.mine - s.synced
      if (by <= 0) return
      s.synced += by
      shared.add(channel, minute, by).then((total) => {
        if (s.minute === minute) s.others = Math.max(0, total - s.synced)
      }, () => {
        // Not added: the next sync adds these arrivals again.
        if (s.minute === minute) s.synced -= by
      })
    }, shared.syncMs ?? 2_000)
    s.syncing.unref()
  }

  /** Shutdown: stop the timers and fail what is buffered, so those messages are redelivered, not half-posted. */
  abandon(reason: unknown): void {
    for (const s of this.channels.values()) {
      clearTimeout(s.syncing)
      clearInterval(s.timer)
      for (const p of s.buffer.splice(0)) p.reject(reason)
      s.active = false
    }
  }
}
