import { LRUCache } from 'lru-cache'
import type { ComponentStatus } from '../health/componentStatus.js'
import { checkRecordSize } from './checkRecordSize.js'
import type { Claim, DeliveredRecord, StateStore, StoredRecord } from './stateStore.js'

type Item =
  | { kind: 'claim', owner: string, expiresAt: number, firstAt: number }
  | { kind: 'delivered', record: DeliveredRecord, expiresAt: number }
  | { kind: 'count', value: number, expiresAt: number }
  | { kind: 'once', expiresAt: number }
  | { kind: 'record', value: unknown, json: string, version: number, expiresAt: number }

export interface MemoryStateStoreOptions {
  /** Most items, and most bytes (records by their JSON, the rest by a fixed estimate); the oldest are forgotten first. */
  maxEntries?: number
  maxBytes?: number
}

const itemSize = (item: Item, key: string): number => 2 * (key.length + (item.kind === 'record' ? item.json.length : 64)) + 96

/**
 * The embedded default: one process's memory, bounded in entries and bytes. Forgetting an item (evicted under
 * pressure) only means a later duplicate is possible, as before shared state existed; expiry is compared on every
 * read, exactly as the DynamoDB store does.
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory'
  private readonly items: LRUCache<string, Item>

  constructor(options: MemoryStateStoreOptions = {}) {
    this.items = new LRUCache<string, Item>({
      max: options.maxEntries ?? 200_000,
      maxSize: Math.max(1, options.maxBytes ?? 64 * 1024 * 1024),
      sizeCalculation: itemSize,
    })
  }

  private live(key: string, now: number): Item | undefined {
    const item = this.items.get(key)
    return item && item.expiresAt > now ? item : undefined
  }

  claim(key: string, owner: string, leaseMs: number, now: number): Promise<Claim> {
    const item = this.live(key, now)
    if (item?.kind === 'delivered') return Promise.resolve({ kind: 'delivered', record: item.record })
    if (item?.kind === 'claim' && item.owner !== owner) return Promise.resolve({ kind: 'held', owner: item.owner, until: item.expiresAt })
    // An earlier claim, live (mine) or expired (anyone's), that was never marked or released: it may have posted.
    const before = this.items.get(key)
    const earlier = before?.kind === 'claim' ? { since: before.firstAt, until: Math.min(before.expiresAt, now) } : undefined
    this.items.set(key, { kind: 'claim', owner, expiresAt: now + leaseMs, firstAt: earlier?.since ?? now })
    return Promise.resolve(earlier ? { kind: 'claimed', earlier } : { kind: 'claimed' })
  }

  markDelivered(key: string, owner: string, record: DeliveredRecord, keepUntil: number, now: number): Promise<void> {
    const item = this.live(key, now)
    // Only the owner marks; a lease lost to another replica leaves that replica's result in place.
    if (item === undefined || (item.kind === 'claim' && item.owner === owner)) {
      this.items.set(key, { kind: 'delivered', record: { ...record }, expiresAt: keepUntil })
    }
    return Promise.resolve()
  }

  release(key: string, owner: string): Promise<void> {
    const item = this.items.get(key)
    if (item?.kind === 'claim' && item.owner === owner) this.items.delete(key)
    return Promise.resolve()
  }

  increment(key: string, by: number, expiresAt: number, now: number): Promise<number> {
    const item = this.live(key, now)
    const value = (item?.kind === 'count' ? item.value : 0) + by
    this.items.set(key, { kind: 'count', value, expiresAt: item?.kind === 'count' ? item.expiresAt : expiresAt })
    return Promise.resolve(value)
  }

  once(key: string, expiresAt: number, now: number): Promise<boolean> {
    if (this.live(key, now)) return Promise.resolve(false)
    this.items.set(key, { kind: 'once', expiresAt })
    return Promise.resolve(true)
  }

  get(key: string, now: number): Promise<StoredRecord | undefined> {
    const item = this.live(key, now)
    if (item?.kind !== 'record') return Promise.resolve(undefined)
    // A copy: a caller that edits what it read must not change the store behind put's version check.
    return Promise.resolve({ value: JSON.parse(item.json) as unknown, version: item.version, expiresAt: item.expiresAt })
  }

  put(key: string, value: unknown, expiresAt: number, expectedVersion: number | undefined, now: number): Promise<boolean> {
    let json: string
    try {
      json = checkRecordSize(key, value)
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    const item = this.live(key, now)
    const current = item?.kind === 'record' ? item.version : undefined
    if (current !== expectedVersion) return Promise.resolve(false)
    this.items.set(key, { kind: 'record', value, json, version: (current ?? 0) + 1, expiresAt })
    return Promise.resolve(true)
  }

  status(now: number): ComponentStatus {
    return { ok: true, reason: 'in memory (one process; set TRAILWARDEN_STATE_TABLE to share state across replicas)', since: now }
  }
}
