import { describe, expect, it } from 'vitest'
import { DynamoStateStore } from '../../src/state/dynamoStateStore.js'
import { MemoryStateStore } from '../../src/state/memoryStateStore.js'
import type { StateStore } from '../../src/state/stateStore.js'
import { StateUnavailable } from '../../src/state/stateUnavailable.js'
import { useDynamoEmulator } from '../support/dynamoEmulator.js'

const dynamo = useDynamoEmulator()

/** One contract, two stores: the in-memory default must behave exactly as the shared DynamoDB one (on dynalite). */
const stores: Array<[string, () => Promise<StateStore>]> = [
  ['memory', () => Promise.resolve(new MemoryStateStore())],
  ['dynamodb', async () => new DynamoStateStore(dynamo().client(), await dynamo().createTable())],
]

describe.each(stores)('StateStore contract: %s', (_name, make) => {
  it('claims a delivery once, holds it against another owner, and lets a dead owner\'s lease be taken over', async () => {
    const s = await make()
    expect(await s.claim('k', 'a', 1000, 0)).toEqual({ kind: 'claimed' })
    expect(await s.claim('k', 'b', 1000, 500)).toEqual({ kind: 'held', owner: 'a', until: 1000 })
    // the expiry compared by the store itself, at the very millisecond (dynalite, like DynamoDB's TTL, deletes nothing)
    // taken over: a may have posted before it died, so b is told where to look (since a's first claim, until its end)
    expect(await s.claim('k', 'b', 1000, 1000)).toEqual({ kind: 'claimed', earlier: { since: 0, until: 1000 } })
    await s.markDelivered('k', 'a', { channel: 'C', ts: '1.1', status: 'posted' }, 9000, 1002)
    // a's lease was lost to b: a's mark does not replace b's claim
    expect(await s.claim('k', 'c', 1000, 1003)).toEqual({ kind: 'held', owner: 'b', until: 2000 })
    await s.markDelivered('k', 'b', { channel: 'C', ts: '2.2', status: 'posted' }, 9000, 1004)
    expect(await s.claim('k', 'c', 1000, 1005)).toEqual({ kind: 'delivered', record: { channel: 'C', ts: '2.2', status: 'posted' } })
    expect(await s.claim('k', 'c', 1000, 9001)).toEqual({ kind: 'claimed' })
  })

  it('renews its own claim (a retry in the same process) and remembers a delivery without a ts', async () => {
    const s = await make()
    expect(await s.claim('k', 'a', 1000, 0)).toEqual({ kind: 'claimed' })
    expect(await s.claim('k', 'a', 1000, 900)).toEqual({ kind: 'claimed', earlier: { since: 0, until: 900 } })
    expect(await s.claim('k', 'b', 1000, 1500)).toEqual({ kind: 'held', owner: 'a', until: 1900 })
    await s.markDelivered('k', 'a', { channel: 'C', status: 'digested' }, 5000, 1600)
    expect(await s.claim('k', 'b', 1000, 1700)).toEqual({ kind: 'delivered', record: { channel: 'C', status: 'digested' } })
  })

  it('keeps the first claim\'s time across takeovers, and forgets it once the delivery is marked or released', async () => {
    const s = await make()
    await s.claim('k', 'a', 1000, 100)
    await s.claim('k', 'b', 1000, 1200)
    expect(await s.claim('k', 'c', 1000, 2500)).toEqual({ kind: 'claimed', earlier: { since: 100, until: 2200 } })
    await s.markDelivered('k', 'c', { channel: 'C', ts: '3.3', status: 'posted' }, 3000, 2600)
    // the delivery's memory ended: a new delivery, nothing earlier to look for
    expect(await s.claim('k', 'd', 1000, 3000)).toEqual({ kind: 'claimed' })
    await s.release('k', 'd')
    expect(await s.claim('k', 'e', 1000, 3100)).toEqual({ kind: 'claimed' })
  })

  it('releases only its own claim', async () => {
    const s = await make()
    await s.claim('k', 'a', 1000, 0)
    await s.release('k', 'b')
    expect((await s.claim('k', 'b', 1000, 1)).kind).toBe('held')
    await s.release('k', 'a')
    expect((await s.claim('k', 'b', 1000, 2)).kind).toBe('claimed')
    await s.release('never-claimed', 'a')
  })

  it('lets exactly one of many concurrent claimants win', async () => {
    const s = await make()
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.claim('race', `owner-${i}`, 60_000, 10)))
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1)
  })

  it('counts until the window ends, then starts again', async () => {
    const s = await make()
    expect(await s.increment('c', 1, 60_000, 0)).toBe(1)
    expect(await s.increment('c', 2, 120_000, 10)).toBe(3)
    expect(await s.increment('c', 1, 120_000, 60_000)).toBe(1)
  })

  it('counts every concurrent increment once', async () => {
    const s = await make()
    await Promise.all(Array.from({ length: 25 }, () => s.increment('many', 1, 60_000, 0)))
    expect(await s.increment('many', 0, 60_000, 1)).toBe(25)
  })

  it('says yes once per key and window', async () => {
    const s = await make()
    expect(await s.once('n', 100, 0)).toBe(true)
    expect(await s.once('n', 100, 99)).toBe(false)
    expect(await s.once('n', 200, 100)).toBe(true)
    const racing = await Promise.all(Array.from({ length: 10 }, () => s.once('r', 100, 0)))
    expect(racing.filter(Boolean)).toHaveLength(1)
  })

  it('writes records optimistically, by version, and returns copies', async () => {
    const s = await make()
    expect(await s.put('r', { a: 1 }, 1000, undefined, 0)).toBe(true)
    expect(await s.put('r', { a: 2 }, 1000, undefined, 0)).toBe(false)
    const read = await s.get('r', 1)
    expect(read).toEqual({ value: { a: 1 }, version: 1, expiresAt: 1000 })
    ;(read!.value as { a: number }).a = 9
    expect(await s.put('r', { a: 3 }, 1000, 1, 2)).toBe(true)
    expect(await s.put('r', { a: 5 }, 1000, 1, 2)).toBe(false)
    expect(await s.get('r', 3)).toEqual({ value: { a: 3 }, version: 2, expiresAt: 1000 })
    expect(await s.get('r', 1000)).toBeUndefined()
    expect(await s.put('r', { a: 4 }, 2000, 2, 1000)).toBe(false)
    expect(await s.put('r', { a: 4 }, 2000, undefined, 1000)).toBe(true)
    expect(await s.get('absent', 0)).toBeUndefined()
  })

  it('refuses a record over 64 KiB, naming its key', async () => {
    const s = await make()
    await expect(s.put('big', 'x'.repeat(70_000), 1000, undefined, 0)).rejects.toThrow(/big is 70002 bytes/)
  })
})

describe('DynamoStateStore failures', () => {
  it('a missing table is not retryable, names the table and says what to do; readiness turns false', async () => {
    const s = new DynamoStateStore(dynamo().client(), 'no-such-table')
    const err = await s.once('n', 100, 0).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StateUnavailable)
    expect((err as StateUnavailable).retryable).toBe(false)
    expect((err as Error).message).toMatch(/DynamoDB table no-such-table: PutItem failed: ResourceNotFoundException: .*TRAILWARDEN_STATE_TABLE/)
    expect(s.status().ok).toBe(false)
  })

  it('an unreachable endpoint is retryable; readiness turns false, then true once it answers again', async () => {
    const table = await dynamo().createTable()
    const s = new DynamoStateStore(dynamo().client(), table)
    expect(await s.once('before', 100, 0)).toBe(true)
    await dynamo().pause()
    try {
      const err = await s.claim('k', 'a', 1000, 0).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StateUnavailable)
      expect((err as StateUnavailable).retryable).toBe(true)
      expect(s.status()).toMatchObject({ ok: false, reason: expect.stringContaining(`DynamoDB table ${table}`) as unknown })
    } finally {
      await dynamo().resume()
    }
    expect(await s.once('before', 100, 1)).toBe(false)
    expect(s.status().ok).toBe(true)
  })
})
