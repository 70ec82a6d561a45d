import { describe, expect, it } from 'vitest'
import { MemoryStateStore } from '../../src/state/memoryStateStore.js'

describe('MemoryStateStore', () => {
  it('claims a delivery once, holds it against another owner, and lets a dead owner\'s lease be taken over', async () => {
    const s = new MemoryStateStore()
    expect(await s.claim('k', 'a', 1000, 0)).toEqual({ kind: 'claimed' })
    expect(await s.claim('k', 'b', 1000, 500)).toEqual({ kind: 'held', owner: 'a', until: 1000 })
    expect(await s.claim('k', 'b', 1000, 1001)).toEqual({ kind: 'claimed' })
    await s.markDelivered('k', 'a', { channel: 'C', ts: '1.1', status: 'posted' }, 9000, 1002)
    // a's lease was lost to b: a's mark does not replace b's claim
    expect(await s.claim('k', 'c', 1000, 1003)).toEqual({ kind: 'held', owner: 'b', until: 2001 })
    await s.markDelivered('k', 'b', { channel: 'C', ts: '2.2', status: 'posted' }, 9000, 1004)
    expect(await s.claim('k', 'c', 1000, 1005)).toEqual({ kind: 'delivered', record: { channel: 'C', ts: '2.2', status: 'posted' } })
    expect(await s.claim('k', 'c', 1000, 9001)).toEqual({ kind: 'claimed' })
  })

  it('releases only its own claim', async () => {
    const s = new MemoryStateStore()
    await s.claim('k', 'a', 1000, 0)
    await s.release('k', 'b')
    expect((await s.claim('k', 'b', 1000, 1)).kind).toBe('held')
    await s.release('k', 'a')
    expect((await s.claim('k', 'b', 1000, 2)).kind).toBe('claimed')
  })

  it('counts until the window ends, then starts again', async () => {
    const s = new MemoryStateStore()
    expect(await s.increment('c', 1, 60_000, 0)).toBe(1)
    expect(await s.increment('c', 2, 120_000, 10)).toBe(3)
    expect(await s.increment('c', 1, 120_000, 60_000)).toBe(1)
  })

  it('says yes once per key and window', async () => {
    const s = new MemoryStateStore()
    expect(await s.once('n', 100, 0)).toBe(true)
    expect(await s.once('n', 100, 99)).toBe(false)
    expect(await s.once('n', 200, 100)).toBe(true)
  })

  it('writes records optimistically, by version, and returns copies', async () => {
    const s = new MemoryStateStore()
    expect(await s.put('r', { a: 1 }, 1000, undefined, 0)).toBe(true)
    expect(await s.put('r', { a: 2 }, 1000, undefined, 0)).toBe(false)
    const read = await s.get('r', 1)
    expect(read).toEqual({ value: { a: 1 }, version: 1, expiresAt: 1000 })
    ;(read!.value as { a: number }).a = 9
    expect(await s.put('r', { a: 3 }, 1000, 1, 2)).toBe(true)
    expect(await s.get('r', 3)).toEqual({ value: { a: 3 }, version: 2, expiresAt: 1000 })
    expect(await s.get('r', 1000)).toBeUndefined()
    expect(await s.put('r', { a: 4 }, 2000, undefined, 1000)).toBe(true)
  })
})
