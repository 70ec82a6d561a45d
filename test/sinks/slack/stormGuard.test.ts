import { beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { StormGuard } from '../../../src/sinks/slack/stormGuard.js'
import { alertFor } from '../../support/alerts.js'

let base: Alert
beforeAll(async () => {
  base = await alertFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod')
})

const nth = (n: number, eventKey = `111122223333:event-${n}`): Alert => ({ ...base, eventKey, eventId: `event-${n}` })

/** A guard whose digests are recorded instead of posted (the sink's flush posts them through Slack). */
function guard(threshold: number) {
  const digests: Alert[][] = []
  const g = new StormGuard({
    threshold,
    intervalMs: 20,
    now: Date.now,
    flush: (_channel, alerts) => {
      digests.push(alerts)
      return Promise.resolve(`ts-${digests.length}`)
    },
  })
  return { g, digests }
}

describe('the storm guard', () => {
  it('above the threshold a channel goes to digests; each buffered alert resolves with its digest\'s ts', async () => {
    const { g, digests } = guard(2)
    expect(g.offer('#alerts', nth(1))).toBeUndefined()
    expect(g.offer('#alerts', nth(2))).toBeUndefined()
    expect(g.offer('#security', nth(3))).toBeUndefined()
    const third = g.offer('#alerts', nth(4))
    const fourth = g.offer('#alerts', nth(5))
    expect(await Promise.all([third, fourth])).toEqual(['ts-1', 'ts-1'])
    expect(digests.map((d) => d.map((a) => a.eventId))).toEqual([['event-4', 'event-5']])
    g.abandon(new Error('done'))
  })

  it('a redelivery of the same alert is not a new arrival; another record with the same eventID is', async () => {
    const { g } = guard(2)
    for (let i = 0; i < 5; i++) expect(g.offer('#alerts', nth(1))).toBeUndefined()
    expect(g.offer('#alerts', nth(2))).toBeUndefined()
    const other = g.offer('#alerts', { ...nth(1), recordDigest: 'ffffffffffffffff' })
    expect(other).toBeInstanceOf(Promise)
    g.abandon(new Error('shutting down'))
    await expect(other).rejects.toThrow('shutting down')
  })

  it('configure: a lower threshold applies from the next arrival', () => {
    const { g } = guard(10)
    for (const n of [1, 2, 3]) expect(g.offer('#alerts', nth(n))).toBeUndefined()
    g.configure({ threshold: 3 })
    const next = g.offer('#alerts', nth(4))
    expect(next).toBeInstanceOf(Promise)
    g.abandon(new Error('done'))
    return expect(next).rejects.toThrow('done')
  })

  it('remembers arrivals by fixed-size hashes: 100 KB eventIDs cost what short ones do', () => {
    const short = guard(1_000_000).g
    const long = guard(1_000_000).g
    for (let n = 0; n < 100; n++) {
      void short.offer('#alerts', nth(n))
      void long.offer('#alerts', nth(n, `111122223333:${n}${'e'.repeat(100_000)}`))
    }
    expect(long.bytes).toBe(short.bytes)
    expect(long.bytes).toBeLessThan(100 * 256)
  })
})
