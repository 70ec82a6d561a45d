import { type CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { setTimeout as sleep } from 'node:timers/promises'
import { backoff } from '../backoff.js'
import { type EventHistoryError, eventHistoryError, isRetryable } from './eventHistoryError.js'

/**
 * LookupEvents allows 2 requests per second per account and region, and answers ThrottlingException above it
 * (CloudTrail API Reference, LookupEvents: "The rate of lookup requests is limited to two per second, per account, per
 * region"). The service counts calls as they arrive, and a call arrives somewhere between its start and its answer.
 */
export const LOOKUP_RATE = { intervalCap: 2, interval: 1000 } as const

/**
 * The limit as a sliding window over each call's *answer*: a call starts only once the call `intervalCap` before it was
 * answered at least `interval` ms ago. A call arrives after it starts and before it is answered, so no `interval`
 * holds more than `intervalCap` arrivals however long each call takes.
 *
 * Not p-queue's strict window (tried first): it counts from each call's start, so a slow first call (the SDK resolving
 * credentials and endpoints on its first use) followed by a fast third one arrived 3 in one second — measured in the
 * LookupEvents double while the machine was busy (test/audit/auditEventHistory.test.ts). One region's calls are
 * sequential anyway (each page needs the previous NextToken), so a queue adds nothing to this.
 */
export interface CallSpacing {
  /** Wait (abortably) until a call may start. */
  before(signal: AbortSignal): Promise<void>
  /** Note that a call was answered (or failed): the window counts from here. */
  after(): void
}

export function createCallSpacing(rate: { intervalCap: number, interval: number } = LOOKUP_RATE, now: () => number = () => performance.now()): CallSpacing {
  const answered: number[] = []
  return {
    async before(signal) {
      const gate = answered.length >= rate.intervalCap ? (answered[answered.length - rate.intervalCap] ?? 0) + rate.interval : 0
      const wait = Math.ceil(gate - now())
      if (wait > 0) await sleep(wait, undefined, { signal })
    },
    after() {
      answered.push(now())
      if (answered.length > rate.intervalCap) answered.shift()
    },
  }
}

/** A page holds at most 50 events (LookupEvents MaxResults: "the maximum is 50"). */
export const PAGE_SIZE = 50

/** Throttling and server faults are retried with full-jitter backoff; the other errors end the region at once. */
export const LOOKUP_RETRY = { attempts: 8, baseMs: 1000, capMs: 20_000 } as const

export interface LookupRegionOptions {
  client: CloudTrailClient
  region: string
  /** The window, inclusive, as LookupEvents takes it. */
  from: Date
  to: Date
  /** The lookup attribute: ecs.amazonaws.com for trailwarden. One attribute per call is all LookupEvents accepts. */
  eventSource: string
  /** The account-and-region's limit: every call of the region, retries included, passes through it. */
  spacing: CallSpacing
  /** Aborts between pages and during waits (SIGINT): the region ends as interrupted with what it read. */
  signal: AbortSignal
  /** Each page as it arrives: newest events first, as LookupEvents returns them. */
  onPage: (events: readonly Event[], region: string) => void
  retry?: { attempts: number, baseMs: number, capMs: number }
  /** Told of each retry (throttling, a server fault) before its wait. */
  onRetry?: (region: string, attempt: number, waitMs: number, reason: string) => void
}

export interface RegionResult {
  region: string
  pages: number
  events: number
  /** Calls made, retries included. */
  calls: number
  /** Set when the region stopped early: the events before this time (the oldest read) were not read. */
  error?: EventHistoryError
  interrupted?: boolean
  /** The eventTime of the oldest event read (pages come newest first): where an interrupted region stopped. */
  oldest?: Date
}

/**
 * Every event of one region in the window, page by page through NextToken (MaxResults 50), each call spaced by the
 * region's limit; ThrottlingException and server faults retried with backoff. Never throws: a failure ends the region
 * with the error set and what was read kept.
 */
export async function lookupRegion(options: LookupRegionOptions): Promise<RegionResult> {
  const { client, region, from, to, eventSource, spacing, signal, onPage } = options
  const retry = options.retry ?? LOOKUP_RETRY
  const result: RegionResult = { region, pages: 0, events: 0, calls: 0 }
  // A function, not the property: TypeScript would keep the property narrowed to false across the awaits.
  const aborted = () => signal.aborted
  let token: string | undefined
  try {
    do {
      if (aborted()) {
        result.interrupted = true
        return result
      }
      const input = {
        LookupAttributes: [{ AttributeKey: 'EventSource' as const, AttributeValue: eventSource }],
        StartTime: from,
        EndTime: to,
        MaxResults: PAGE_SIZE,
        ...(token ? { NextToken: token } : {}),
      }
      let attempt = 0
      let page
      for (;;) {
        attempt += 1
        try {
          await spacing.before(signal)
          result.calls += 1
          try {
            page = await client.send(new LookupEventsCommand(input), { abortSignal: signal })
          } finally {
            spacing.after()
          }
          break
        } catch (err) {
          if (aborted()) {
            result.interrupted = true
            return result
          }
          if (!isRetryable(err) || attempt >= retry.attempts) throw eventHistoryError(err, region, attempt)
          const wait = backoff(attempt, retry)
          options.onRetry?.(region, attempt, wait, err instanceof Error ? err.name : 'error')
          await sleep(wait, undefined, { signal })
        }
      }
      const events = page.Events ?? []
      result.pages += 1
      result.events += events.length
      const last = events.at(-1)?.EventTime
      if (last) result.oldest = last
      onPage(events, region)
      token = page.NextToken
    } while (token)
  } catch (err) {
    if (aborted()) result.interrupted = true
    else result.error = eventHistoryError(err, region, 1)
  }
  return result
}
