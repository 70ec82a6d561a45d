import { beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { DeliveryMemory } from '../../../src/sinks/slack/deliveryMemory.js'
import { alertFor } from '../../support/alerts.js'
import { fixtureJson } from '../../support/fixtures.js'

const FIXTURE = 'rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'
const memory = (maxBytes = 1024 * 1024) => new DeliveryMemory({ ttlMs: 60_000, maxEntries: 100_000, maxBytes })

let real: Alert
/** The same eventID, another record: what a forger sends first to suppress the real alert. */
let forged: Alert
beforeAll(async () => {
  real = await alertFor(FIXTURE, 'ecs-console-change-in-prod')
  const record = fixtureJson(FIXTURE) as { requestParameters: Record<string, unknown> }
  forged = await alertFor(FIXTURE, 'ecs-console-change-in-prod', JSON.stringify({ ...record, requestParameters: { ...record.requestParameters, desiredCount: 0 } }))
})

describe('the delivery memory', () => {
  it('a delivery is (event, record, rule, channel): a forged record with the real eventID is another delivery', () => {
    expect(forged.eventKey).toBe(real.eventKey)
    expect(forged.recordDigest).not.toBe(real.recordDigest)
    const m = memory()
    m.remember(m.key(forged, '#alerts'), { status: 'posted', channel: '#alerts', ts: '1.1' })
    expect(m.recall(m.key(real, '#alerts'))).toBeUndefined()
    expect(m.recall(m.key(forged, '#alerts'))).toEqual({ status: 'posted', channel: '#alerts', ts: '1.1' })
    expect(m.recall(m.key(forged, '#security'))).toBeUndefined()
    expect(m.recall(m.key({ ...forged, ruleId: 'other' }, '#alerts'))).toBeUndefined()
  })

  it('keys are fixed-size hashes: 100 KB eventIDs cost the memory no more than short ones', () => {
    const short = memory()
    const long = memory()
    for (let n = 0; n < 200; n++) {
      const big: Alert = { ...real, eventKey: `111122223333:${String(n).padStart(6, '0')}${'e'.repeat(100_000)}`, recordDigest: `${n}`.padStart(16, '0') }
      const small: Alert = { ...big, eventKey: `111122223333:${n}` }
      for (const [m, a] of [[long, big], [short, small]] as const) {
        m.remember(m.key(a, '#alerts'), { status: 'posted', channel: '#alerts', ts: '1700000000.000001' })
      }
    }
    expect(long.bytes).toBe(short.bytes)
    expect(long.bytes).toBeLessThan(200 * 400)
  })

  it('stays under its byte bound, forgetting the oldest first', () => {
    const m = memory(16 * 1024)
    for (let n = 0; n < 1_000; n++) m.remember(m.key({ ...real, eventKey: `k${n}` }, '#alerts'), { status: 'posted', channel: '#alerts', ts: '1700000000.000001' })
    expect(m.bytes).toBeLessThanOrEqual(16 * 1024)
    expect(m.recall(m.key({ ...real, eventKey: 'k999' }, '#alerts'))).toBeDefined()
    expect(m.recall(m.key({ ...real, eventKey: 'k0' }, '#alerts'))).toBeUndefined()
  })
})
