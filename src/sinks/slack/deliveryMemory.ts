import { LRUCache } from 'lru-cache'
import type { Alert } from '../../core/alerts/alert.js'
import type { DeliveryOutcome } from '../alertSink.js'
import { memoryKey } from './memoryKey.js'

export interface DeliveryMemoryOptions {
  /** How long a delivery is remembered, so a redelivered SQS message never posts twice. */
  ttlMs: number
  /** Most deliveries remembered, and most bytes the memory may hold (the oldest are forgotten first). */
  maxEntries: number
  maxBytes: number
}

/** Distinct records remembered per (event, rule, channel): enough to tell a collision from a redelivery. */
const RECORDS_PER_EVENT = 4

/** Bytes of one entry, counting strings as V8's two-byte ones, plus the object and cache node. */
const outcomeSize = (o: DeliveryOutcome, key: string): number => 2 * (key.length + o.status.length + o.channel.length + (o.ts?.length ?? 0)) + 96
const digestsSize = (d: string[], key: string): number => 2 * (key.length + d.reduce((n, s) => n + s.length, 0)) + 96

/**
 * The idempotency memory. A delivery is one (event, record, rule, channel): keyed by the record's digest too, a
 * forged record that reuses a real event's eventID is a different delivery and cannot suppress the real one (#16).
 * It also remembers which records were seen per (event, rule, channel), so a second, different record with the
 * same eventID can be reported. Keys are fixed-size hashes and values a few short strings, bounded in bytes.
 */
export class DeliveryMemory {
  private readonly delivered: LRUCache<string, DeliveryOutcome>
  private readonly records: LRUCache<string, string[]>

  constructor(options: DeliveryMemoryOptions) {
    // Two caches share the bound: half each.
    const common = { max: options.maxEntries, maxSize: Math.max(1, Math.floor(options.maxBytes / 2)), ttl: options.ttlMs, ttlAutopurge: false }
    this.delivered = new LRUCache<string, DeliveryOutcome>({ ...common, sizeCalculation: outcomeSize })
    this.records = new LRUCache<string, string[]>({ ...common, sizeCalculation: digestsSize })
  }

  /** The delivery's identity: event, record, rule and channel. */
  key(alert: Alert, channel: string): string {
    return memoryKey(alert.eventKey, alert.recordDigest, alert.ruleId, channel)
  }

  recall(key: string): DeliveryOutcome | undefined {
    return this.delivered.get(key)
  }

  remember(key: string, outcome: DeliveryOutcome): void {
    this.delivered.set(key, { status: outcome.status, channel: outcome.channel, ...(outcome.ts === undefined ? {} : { ts: outcome.ts }) })
  }

  /**
   * Note that this record arrived for its (event, rule, channel). Returns the digest of an earlier, different
   * record with the same event key, once per new record (a redelivery of either record reports nothing).
   */
  noteRecord(alert: Alert, channel: string): string | undefined {
    const key = memoryKey(alert.eventKey, alert.ruleId, channel)
    const digest = alert.recordDigest.slice(0, 64)
    const seen = this.records.get(key)
    if (!seen) {
      this.records.set(key, [digest])
      return undefined
    }
    if (seen.includes(digest)) return undefined
    this.records.set(key, [...seen, digest].slice(-RECORDS_PER_EVENT))
    return seen[0]
  }

  /** What the memory holds, by its caches' own size calculation. */
  get bytes(): number {
    return this.delivered.calculatedSize + this.records.calculatedSize
  }
}
