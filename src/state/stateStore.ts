import type { ComponentStatus } from '../health/componentStatus.js'

/**
 * What trailwarden remembers between messages, replicas and restarts, in the core's terms (#19). Two implementations:
 * in memory (the embedded default: one process) and DynamoDB (every replica shares one table). Every method takes
 * `now` (epoch ms) from the caller, so expiry is tested with an injected clock, and every implementation compares
 * expiry itself: DynamoDB's TTL deletes expired items lazily, so an expired item may still be read.
 *
 * Keys are short strings built by the caller from digests (never raw event text): one namespace per concept,
 * e.g. `claim#…`, `thread#…`, `count#…`, `once#…`, `rec#…`.
 *
 * A method rejects with a StateUnavailable error when the store cannot answer (throttled, unreachable, denied); the
 * caller decides what that means (a delivery is retried later, never posted blind).
 */
export interface StateStore {
  readonly kind: 'memory' | 'dynamodb'

  /**
   * Claim a delivery before posting. `claimed`: this process owns it until `now + leaseMs` (post, then
   * markDelivered). `delivered`: someone posted it already (ack without posting). `held`: another owner's lease is
   * live (retry after `until`). An expired lease of a dead owner is taken over (`claimed`).
   *
   * `claimed` carries `earlier` when the key was claimed before and never marked or released: a dead owner's lease
   * taken over, or this owner's own claim again (its last attempt ended without knowing whether Slack accepted it).
   * That attempt may have posted (killed after Slack accepted, before the mark), so the caller looks for the message
   * before posting again (sinks/slack/postedLookup.ts). `since` is when the key was first claimed, kept across
   * takeovers; `until` is when the earlier lease ended (or now, for this owner's own).
   */
  claim(key: string, owner: string, leaseMs: number, now: number): Promise<Claim>
  /** The claim is done: remembered as delivered (with the posted message's ts) until `keepUntil`. Only by its owner. */
  markDelivered(key: string, owner: string, result: DeliveredRecord, keepUntil: number, now: number): Promise<void>
  /** Give a claim back after a failed post, so a retry (here or on another replica) need not wait for the lease. */
  release(key: string, owner: string): Promise<void>

  /** Add `by` to a counter that lives until `expiresAt`; returns the value after the addition (atomic across replicas). */
  increment(key: string, by: number, expiresAt: number, now: number): Promise<number>
  /** True for exactly one caller per key until `expiresAt` (once-per-window notices, envelope ids). */
  once(key: string, expiresAt: number, now: number): Promise<boolean>

  /** A small JSON record (≤ 64 KiB serialised) with a version for optimistic updates; undefined if absent or expired. */
  get(key: string, now: number): Promise<StoredRecord | undefined>
  /**
   * Write a record if its version is still `expectedVersion` (undefined: only if absent or expired). Returns false when
   * another writer got there first: read again and retry.
   */
  put(key: string, value: unknown, expiresAt: number, expectedVersion: number | undefined, now: number): Promise<boolean>

  /** For readiness: healthy, or which table failed and how. */
  status(now: number): ComponentStatus
}

export interface DeliveredRecord {
  channel: string
  ts?: string
  /** The SinkOutcome status of the delivery (posted, threaded, digested, fallback). */
  status: string
}

export type Claim =
  | { kind: 'claimed', earlier?: EarlierAttempt }
  | { kind: 'delivered', record: DeliveredRecord }
  | { kind: 'held', owner: string, until: number }

/** An attempt at a delivery that may have posted: first claimed at `since`, its lease ended at `until` (epoch ms). */
export interface EarlierAttempt {
  since: number
  until: number
}

export interface StoredRecord {
  value: unknown
  version: number
  expiresAt: number
}
