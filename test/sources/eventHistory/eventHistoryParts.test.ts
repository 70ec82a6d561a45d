import { describe, expect, it } from 'vitest'
import { eventHistoryWindow, parseWhen } from '../../../src/commands/eventHistoryOptions.js'
import { DEFAULT_ENABLED_REGIONS, parseRegions } from '../../../src/sources/eventHistory/allRegions.js'
import { eventHistoryError, isRetryable } from '../../../src/sources/eventHistory/eventHistoryError.js'
import { eventRecords } from '../../../src/sources/eventHistory/eventRecords.js'
import { createCallSpacing } from '../../../src/sources/eventHistory/lookupRegion.js'
import { progressLine } from '../../../src/sources/eventHistory/progressLine.js'
import { DEFAULT_LIMITS } from '../../../src/core/intake/parseBody.js'
import { asLookupEvent } from '../../support/cloudTrailDouble.js'
import { generatedRecords } from '../../support/eventHistoryData.js'

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0)
const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('m'), { name, ...extra })

describe('event history parts', () => {
  it.each([
    ['30d', NOW - 30 * 86_400_000], ['12h', NOW - 12 * 3_600_000], ['90m', NOW - 90 * 60_000], ['2w', NOW - 14 * 86_400_000], ['now', NOW],
    ['2026-11-01', Date.UTC(2026, 10, 1)], ['2026-11-01T12:00:00Z', Date.UTC(2026, 10, 1, 12)], ['last week', NaN], ['30', NaN],
  ])('--since %s', (text, at) => {
    expect(parseWhen(text, NOW)).toBe(at)
  })

  it('the window defaults to the 90 days Event history keeps, and says so when asked for more', () => {
    expect(eventHistoryWindow(undefined, undefined, NOW)).toEqual({ from: NOW - 90 * 86_400_000, to: NOW })
    expect(eventHistoryWindow('120d', undefined, NOW)).toMatchObject({ note: expect.stringContaining('Event history keeps 90 days') as string })
    expect(eventHistoryWindow('1d', '2d', NOW)).toEqual({ error: expect.stringContaining('--since is after --until') as string })
  })

  it.each([
    ['eu-west-1', ['eu-west-1']],
    ['eu-west-1, us-east-1,eu-west-1', ['eu-west-1', 'us-east-1']],
    ['all', [...DEFAULT_ENABLED_REGIONS]],
    ['all,me-south-1', [...DEFAULT_ENABLED_REGIONS, 'me-south-1']],
  ])('--region %s', (text, regions) => {
    expect(parseRegions(text)).toEqual({ regions })
  })
  it('all is the 17 regions enabled by default', () => {
    expect(DEFAULT_ENABLED_REGIONS).toHaveLength(17)
    expect(parseRegions('eu-west-1,Ireland')).toEqual({ error: expect.stringContaining('--region Ireland') as string })
  })

  it.each([
    ['CredentialsProviderError', 'credentials'], ['ExpiredTokenException', 'credentials'], ['UnrecognizedClientException', 'credentials'],
    ['AccessDeniedException', 'access-denied'], ['ThrottlingException', 'throttled'], ['InvalidNextTokenException', 'service'],
  ])('%s → %s', (name, kind) => {
    expect(eventHistoryError(named(name), 'eu-west-1', 3).kind).toBe(kind)
  })
  it('retries throttling, server faults and broken connections only', () => {
    expect([named('ThrottlingException'), named('InternalFailure', { $fault: 'server' }), named('Error', { code: 'ECONNRESET' })].map(isRetryable)).toEqual([true, true, true])
    expect([named('AccessDeniedException', { $fault: 'client' }), named('InvalidNextTokenException', { $fault: 'client' })].map(isRetryable)).toEqual([false, false])
  })

  it('reads CloudTrailEvent strings through the intake; one that is not JSON or missing is named by EventId', () => {
    // The SDK's Event has EventTime as a Date (the double's wire form has epoch seconds).
    const [a, b] = generatedRecords(2, 'eu-west-1', NOW).map(asLookupEvent).map((e) => ({ ...e, EventTime: new Date(e.EventTime * 1000) }))
    const out = eventRecords([a!, { ...b!, EventId: 'bad-1', CloudTrailEvent: '{"eventName":' }, { EventId: 'none' }], DEFAULT_LIMITS)
    expect(out.records.map((r) => r.record.eventID)).toEqual([a!.EventId])
    expect(out.unread.map((u) => [u.eventId, u.rejection.reason])).toEqual([['bad-1', 'not-json'], ['none', 'missing-fields']])
  })

  it('the progress line: share of the window read back from its end, and an ETA', () => {
    const window = { from: 0, to: 100_000 }
    expect(progressLine({ events: 100, pages: 2, retries: 1, regions: [{ reachedMs: 75_000, finished: false }, { finished: true }] }, window, 10_000))
      .toBe('100 events · 2 pages · 10.0 events/s · 62% of the window · ETA 6s · 1 retried')
    expect(progressLine({ events: 0, pages: 0, retries: 0, regions: [{ finished: false }] }, window, 0)).toBe('0 events · 0 pages · 0.0 events/s · 0% of the window')
  })
})

describe('createCallSpacing', () => {
  it('lets the first calls through at once and gates a call on the answer of the call two before it', async () => {
    let clock = 0
    const spacing = createCallSpacing({ intervalCap: 2, interval: 1000 }, () => clock)
    const signal = new AbortController().signal
    await spacing.before(signal)
    spacing.after()
    await spacing.before(signal)
    clock = 400
    spacing.after()
    // A third call at 1000 ms: the first was answered at 0, so it may start (at 1000, not before).
    clock = 1000
    await spacing.before(signal)
    spacing.after()
    // A fourth at 1000: the second was answered at 400, so it would wait until 1400; an abort ends the wait.
    const controller = new AbortController()
    const waiting = spacing.before(controller.signal)
    controller.abort()
    await expect(waiting).rejects.toThrow(/abort/i)
  })
})
