import { describe, expect, it } from 'vitest'
import { memoize } from '../../src/core/memoize.js'

describe('memoize: bounded in bytes, not in entries (issue 16)', () => {
  it('keeps what it counts under maxBytes however many keys arrive, and still answers each', () => {
    let calls = 0
    const length = memoize((key: string) => (calls++, key.length), { maxBytes: 64 * 1024 })
    for (let i = 0; i < 5000; i++) expect(length(`agent-${i}-${'x'.repeat(200)}`)).toBe(207 + String(i).length)
    expect(length.retainedBytes).toBeGreaterThan(32 * 1024)
    expect(length.retainedBytes).toBeLessThanOrEqual(64 * 1024)
    // A recent key is a hit; the first ones were evicted.
    const before = calls
    length(`agent-4999-${'x'.repeat(200)}`)
    expect(calls).toBe(before)
    length(`agent-0-${'x'.repeat(200)}`)
    expect(calls).toBe(before + 1)
  })

  it('answers a key over maxKeyLength without keeping it', () => {
    const upper = memoize((key: string) => key.toUpperCase(), { maxKeyLength: 1024 })
    const huge = 'a'.repeat(100_000)
    expect(upper(huge)).toBe('A'.repeat(100_000))
    expect(upper.retainedBytes).toBe(0)
    upper('short')
    expect(upper.retainedBytes).toBeGreaterThan(0)
    expect(upper.retainedBytes).toBeLessThan(200)
  })

  it('counts what a value holds when told how', () => {
    const list = memoize((key: string) => Array.from({ length: key.length }, () => 0), { maxBytes: 10_000, sizeOf: (l) => l.length * 8 })
    for (let i = 0; i < 100; i++) list(`${i}`.padEnd(100, '-'))
    expect(list.retainedBytes).toBeLessThanOrEqual(10_000)
    expect(list.retainedBytes).toBeGreaterThan(5_000)
  })
})
