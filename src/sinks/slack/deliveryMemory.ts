import { LRUCache } from 'lru-cache'
import type { Alert } from '../../core/alerts/alert.js'
import type { Claim, EarlierAttempt, StateStore } from '../../state/stateStore.js'
import { StateUnavailable } from '../../state/stateUnavailable.js'
import type { DeliveryOutcome } from '../alertSink.js'
import { DeliveryError } from '../deliveryError.js'
import { deliveryKey } from './deliveryKey.js'

export interface DeliveryMemoryOptions {
  /** How long a delivery is remembered, so a redelivered SQS message never posts twice. */
  ttlMs: number
  /** Most deliveries remembered locally, and most bytes they may hold (the oldest are forgotten first). */
  maxEntries: number
  maxBytes: number
  /** Where claims live: in memory (one process) or DynamoDB (every replica). Absent: local memory only. */
  store?: StateStore | undefined
  /** This process, as the claims' owner: unique per start, so a restarted process does not inherit a dead lease. */
  owner?: string
  /** How long a claim holds before another replica may take it over (its owner died mid-post). */
  leaseMs?: number
  /**
   * When the store has failed without a break for this long, deliver without a claim (at-least-once): a long
   * outage must not send every alert to the DLQ. Infinity: never.
   */
  blindAfterMs?: number
  now?: () => number
  /** A delivery made without a claim because the store was down past blindAfterMs. */
  onBlind?: () => void
}

/**
 * What the sink does with a delivery: post it (`claimed` or `blind`) or not (`delivered`: a duplicate). `earlier`: an
 * attempt before this one may have posted it (a takeover): look in Slack first (postedLookup.ts).
 */
export type Admission = { kind: 'claimed', earlier?: EarlierAttempt } | { kind: 'blind' } | { kind: 'delivered', outcome: DeliveryOutcome }

/** Bytes of one entry, counting strings as V8's two-byte ones, plus the object and cache node. */
const outcomeSize = (o: DeliveryOutcome, key: string): number => 2 * (key.length + o.status.length + o.channel.length + (o.ts?.length ?? 0)) + 96

/**
 * The idempotency memory. A delivery is one (event, record, rule, channel): keyed by the record's digest too, a
 * forged record that reuses a real event's eventID is a different delivery and cannot suppress the real one (#16);
 * the daemon reports such pairs (daemon/eventIdCollisions.ts). Keys are fixed-size hashes and values a few short
 * strings, bounded in bytes.
 *
 * Across replicas and restarts (#19) a delivery is claimed in the StateStore before posting (an owner and a lease),
 * marked delivered with Slack's ts after acceptance, released after a failure. A replica that finds it delivered
 * acks without posting; one that finds another's live lease leaves the message for later; an expired lease (its
 * owner died) is taken over. A local cache remembers what this process delivered, so a redelivery here costs no call
 * and a mark that failed (the store went away after Slack accepted) still stops a repeat from this process.
 */
export class DeliveryMemory {
  private readonly delivered: LRUCache<string, DeliveryOutcome>
  private readonly owner: string
  private readonly now: () => number
  /** Since when the store has failed without a success in between (undefined: it answers). */
  private failingSince: number | undefined
  /** When this process last took or renewed each claim it holds (removed when marked or released). */
  private readonly claimedAt = new Map<string, number>()

  constructor(private readonly options: DeliveryMemoryOptions) {
    this.delivered = new LRUCache<string, DeliveryOutcome>({
      max: options.maxEntries, maxSize: Math.max(1, options.maxBytes), ttl: options.ttlMs, ttlAutopurge: false, sizeCalculation: outcomeSize,
    })
    this.owner = options.owner ?? 'this-process'
    this.now = options.now ?? Date.now
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

  /**
   * Before posting: may this process post `key` now? Rejects with a retryable DeliveryError (not Slack's fault:
   * code claimed_elsewhere or state_unavailable) when another replica holds it or the store cannot answer.
   */
  async admit(key: string, channel: string, namespace = 'claim'): Promise<Admission> {
    const local = this.recall(`${namespace}#${key}`)
    if (local) return { kind: 'delivered', outcome: local }
    const { store } = this.options
    if (!store) return { kind: 'claimed' }
    let claim: Claim
    try {
      claim = await store.claim(`${namespace}#${key}`, this.owner, this.options.leaseMs ?? 180_000, this.now())
      this.failingSince = undefined
    } catch (err) {
      if (!(err instanceof StateUnavailable)) throw err
      const at = this.now()
      this.failingSince ??= at
      if (err.retryable && at - this.failingSince >= (this.options.blindAfterMs ?? Infinity)) {
        this.options.onBlind?.()
        return { kind: 'blind' }
      }
      throw new DeliveryError('retryable', channel, 'state_unavailable', `${err.message} (the alert for ${channel} is retried later, not posted blind)`)
    }
    if (claim.kind === 'claimed') {
      this.claimedAt.set(`${namespace}#${key}`, this.now())
      return claim.earlier ? { kind: 'claimed', earlier: claim.earlier } : { kind: 'claimed' }
    }
    if (claim.kind === 'delivered') {
      const outcome: DeliveryOutcome = { status: claim.record.status as DeliveryOutcome['status'], channel: claim.record.channel, ...(claim.record.ts === undefined ? {} : { ts: claim.record.ts }) }
      this.remember(`${namespace}#${key}`, outcome)
      return { kind: 'delivered', outcome }
    }
    const seconds = Math.max(1, Math.ceil((claim.until - this.now()) / 1000))
    throw new DeliveryError('retryable', channel, 'claimed_elsewhere', `another trailwarden replica is delivering this alert to ${channel}; retried in ${seconds} s if it has not finished`, claim.until)
  }

  /**
   * Right before the post (in the channel's turn): a claim taken longer ago than half its lease may have expired
   * while the alert waited behind others, and another replica may have taken it over. Renew it (one call, only then):
   * still mine → post; delivered by another → the duplicate outcome; held by another → retried later. A claim taken
   * moments ago costs nothing here, so an alert still costs two calls when the queue is short.
   */
  async confirm(key: string, channel: string, namespace = 'claim'): Promise<DeliveryOutcome | undefined> {
    const { store } = this.options
    const id = `${namespace}#${key}`
    const since = this.claimedAt.get(id)
    const leaseMs = this.options.leaseMs ?? 180_000
    if (!store || since === undefined || this.now() - since < leaseMs / 2) return undefined
    let claim: Claim
    try {
      claim = await store.claim(id, this.owner, leaseMs, this.now())
    } catch (err) {
      if (!(err instanceof StateUnavailable)) throw err
      throw new DeliveryError('retryable', channel, 'state_unavailable', `${err.message} (the alert for ${channel} is retried later, not posted blind)`)
    }
    if (claim.kind === 'claimed') {
      this.claimedAt.set(id, this.now())
      return undefined
    }
    this.claimedAt.delete(id)
    if (claim.kind === 'delivered') return { status: 'duplicate', channel: claim.record.channel, ...(claim.record.ts === undefined ? {} : { ts: claim.record.ts }) }
    throw new DeliveryError('retryable', channel, 'claimed_elsewhere', `another trailwarden replica took over this alert for ${channel} while it waited`, claim.until)
  }

  /** After Slack accepted: remembered here and in the store. A store failure now is logged by the caller, not thrown. */
  async markDelivered(key: string, outcome: DeliveryOutcome, namespace = 'claim'): Promise<void> {
    this.remember(`${namespace}#${key}`, outcome)
    this.claimedAt.delete(`${namespace}#${key}`)
    const { store } = this.options
    if (!store) return
    const at = this.now()
    await store.markDelivered(`${namespace}#${key}`, this.owner, { channel: outcome.channel, status: outcome.status, ...(outcome.ts === undefined ? {} : { ts: outcome.ts }) }, at + this.options.ttlMs, at)
  }

  /** After a failed post: give the claim back so a retry, here or on another replica, need not wait for the lease. */
  async release(key: string, namespace = 'claim'): Promise<void> {
    this.claimedAt.delete(`${namespace}#${key}`)
    await this.options.store?.release(`${namespace}#${key}`, this.owner)
  }

  /** What the local memory holds, by its cache's own size calculation. */
  get bytes(): number {
    return this.delivered.calculatedSize
  }
}
