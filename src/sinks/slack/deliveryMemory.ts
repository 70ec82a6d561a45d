import { LRUCache } from 'lru-cache'
import type { Alert } from '../../core/alerts/alert.js'
import type { DeliveryOutcome } from '../alertSink.js'
import { deliveryKey } from './deliveryKey.js'

export interface DeliveryMemoryOptions {
  /** How long a delivery is remembered, so a redelivered SQS message never posts twice. */
  ttlMs: number
  /** Most deliveries remembered, and most bytes the memory may hold (the oldest are forgotten first). */
  maxEntries: number
  maxBytes: number
}

/** Bytes of one entry, counting strings as V8's two-byte ones, plus the object and cache node. */
const outcomeSize = (o: DeliveryOutcome, key: string): number => 2 * (key.length + o.status.length + o.channel.length + (o.ts?.length ?? 0)) + 96

/**
 * The idempotency memory. A delivery is one (event, record, rule, channel): keyed by the record's digest too, a
 * forged record that reuses a real event's eventID is a different delivery and cannot suppress the real one (#16);
 * the daemon reports such pairs (daemon/eventIdCollisions.ts). Keys are fixed-size hashes and values a few short
 * strings, bounded in bytes.
 */
export class DeliveryMemory {
  private readonly delivered: LRUCache<string, DeliveryOutcome>

  constructor(options: DeliveryMemoryOptions) {
    this.delivered = new LRUCache<string, DeliveryOutcome>({
      max: options.maxEntries, maxSize: Math.max(1, options.maxBytes), ttl: options.ttlMs, ttlAutopurge: false, sizeCalculation: outcomeSize,
    })
  }

  /** The delivery's identity: event, record, the set of rules, channel (deliveryKey.ts, the one place it is computed). */
  key(alert: Alert, channel: string): string {
    return deliveryKey(alert, channel)
  }

  recall(key: string): DeliveryOutcome | undefined {
    return this.delivered.get(key)
  }

  remember(key: string, outcome: DeliveryOutcome): void {
    this.delivered.set(key, { status: outcome.status, channel: outcome.channel, ...(outcome.ts === undefined ? {} : { ts: outcome.ts }) })
  }

  /** What the memory holds, by its caches' own size calculation. */
  get bytes(): number {
    return this.delivered.calculatedSize
  }
}
