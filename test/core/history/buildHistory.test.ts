import { describe, expect, it } from 'vitest'
import { buildHistory } from '../../../src/core/history/buildHistory.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { webServiceSequence } from '../../support/eventHistoryData.js'

const events = (records: Array<Record<string, unknown>>) => readEvents(JSON.stringify({ Records: records })).events

describe('buildHistory', () => {
  it('orders by time whatever order the events come in, and keeps an event seen twice once', () => {
    const records = webServiceSequence()
    const shuffled = [...records.slice(5), ...records, ...records.slice(0, 5)].reverse()
    const rows = buildHistory(events(shuffled), { cluster: 'prod-web', service: 'web' })
    expect(rows.map((r) => r.eventId.slice(-2))).toEqual(['01', '03', '05', '08', '09', '10', '11'])
  })

  it('a refused call is a row and changes no state; the next change is worded against the state before it', () => {
    const [create, , console] = webServiceSequence()
    const refused = { ...console!, eventID: 'refused', eventTime: '2026-11-03T00:00:00Z', errorCode: 'AccessDenied', requestParameters: { cluster: 'prod-web', service: 'web', desiredCount: 9 }, responseElements: null }
    const rows = buildHistory(events([create!, refused, console!]), { service: 'web' })
    expect(rows.map((r) => r.change)).toEqual([
      expect.stringContaining('created'),
      'REFUSED (AccessDenied), attempted: desired count 2 → 9',
      'task definition web:42 → web:43 · desired count 2 → 3',
    ])
    expect(rows[1]!.errorCode).toBe('AccessDenied')
  })

  it('a family\'s history: registrations, and the services switched to it or deleted while on it', () => {
    const rows = buildHistory(events(webServiceSequence()), { family: 'web' })
    expect(rows.map((r) => r.eventName)).toEqual(['CreateService', 'RegisterTaskDefinition', 'UpdateService', 'UpdateService', 'RegisterTaskDefinition', 'UpdateService', 'UpdateService', 'DeleteService'])
  })

  it('a service\'s history names the images behind a revision switch, from registrations that are not rows', () => {
    const rows = buildHistory(events(webServiceSequence()), { cluster: 'prod-web', service: 'web' })
    expect(rows.map((r) => r.eventName)).not.toContain('RegisterTaskDefinition')
    expect(rows.find((r) => r.eventId.endsWith('08'))!.change).toBe('task definition web:43 → web:44 · image web: 1.42.0 → 1.43.0 (111122223333.dkr.ecr.eu-west-1.amazonaws.com/web)')
  })

  it('read-only calls and other services are not history', () => {
    const rows = buildHistory(events(webServiceSequence()), { cluster: 'staging-api', service: 'api' })
    expect(rows.map((r) => r.eventName)).toEqual(['CreateService'])
  })
})
