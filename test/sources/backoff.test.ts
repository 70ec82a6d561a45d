import { describe, expect, it } from 'vitest'
import { backoff } from '../../src/sources/backoff.js'

const POLL = { baseMs: 500, capMs: 30_000 }

describe('backoff: exponential with full jitter', () => {
  it('the ceiling doubles from the base on each attempt and stops at the cap', () => {
    const top = () => 1
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoff(n, POLL, top))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
  })

  it('the wait is drawn uniformly below the ceiling (full jitter), down to no wait at all', () => {
    expect(backoff(3, POLL, () => 0)).toBe(0)
    expect(backoff(3, POLL, () => 0.25)).toBe(500)
  })

  it('an absurd attempt count still gives the cap, not Infinity or NaN', () => {
    expect(backoff(5_000, POLL, () => 1)).toBe(30_000)
    expect(backoff(0, POLL, () => 1)).toBe(500)
  })
})
