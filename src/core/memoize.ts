import { LRUCache } from 'lru-cache'

/** A memoized function of a string, and what its cache holds. */
export interface Memoized<T> {
  (key: string): T
  /** What the cache holds, as it counts it (see BoundedMemoOptions.sizeOf): never over maxBytes. */
  readonly retainedBytes: number
}

export interface BoundedMemoOptions<T> {
  /** Most bytes the cache may hold, keys and values together, as sizeOf and the key length count them. */
  maxBytes?: number
  /** Longer keys are answered but not remembered: a 100 KB user agent is not worth keeping, and no real one is that long. */
  maxKeyLength?: number
  /** The bytes a value holds beyond the entry itself (0 for booleans and the small strings of a fixed table). */
  sizeOf?: (value: T) => number
}

/** What one cache entry costs besides its key and value: the LRU's slots and the map's entry, roughly. */
const ENTRY_OVERHEAD = 64

/**
 * Remember a function of a string whose keys come from events (principals, user agents, event names): they repeat,
 * and the answer costs microseconds each time (measured in npm run bench, P1). Bounded in bytes, not in entries
 * (issue 16: 3,000 events with 100 KB user agents and event names held hundreds of MiB in caches bounded by count):
 * lru-cache evicts the least recently used entries past maxBytes, and keys longer than maxKeyLength are not kept.
 * Key length counts 2 bytes per UTF-16 unit, as V8 stores a two-byte string.
 */
// lru-cache stores no undefined or null: the answers cached here are booleans, strings and lists.
export function memoize<T extends boolean | string | number | object>(fn: (key: string) => T, options: BoundedMemoOptions<T> = {}): Memoized<T> {
  const { maxBytes = 1024 * 1024, maxKeyLength = 1024, sizeOf = () => 0 } = options
  const cache = new LRUCache<string, T>({
    maxSize: maxBytes,
    sizeCalculation: (value, key) => ENTRY_OVERHEAD + key.length * 2 + sizeOf(value),
  })
  const memoized = (key: string): T => {
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const value = fn(key)
    if (key.length <= maxKeyLength) cache.set(key, value)
    return value
  }
  return Object.defineProperty(memoized, 'retainedBytes', { get: () => cache.calculatedSize, enumerable: true }) as Memoized<T>
}
