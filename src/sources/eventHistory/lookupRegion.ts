import { type CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import PQueue from 'p-queue'
import { setTimeout as sleep } from 'node:timers/promises'
import { backoff } from '../backoff.js'
import { type EventHistoryError, eventHistoryError, isRetryable } from './eventHistoryError.js'

/**
 * LookupEvents allows 2 requests per second per account and region, and answers ThrottlingException above it
 * (CloudTrail API Reference, LookupEvents: "The rate of lookup requests is limited to two per second, per account, per
 * region"). The limiter is a sliding window (p-queue's strict mode: no more than intervalCap starts in any interval),
 * with 100 ms of margin over the second, so a request that leaves a little late after its predecessor left early still
 * arrives inside the limit as the service counts it.
 */
export const LOOKUP_RATE = { intervalCap: 2, interval: 1100 } as const

/** A page holds at most 50 events (LookupEvents MaxResults: "the maximum is 50"). */
export const PAGE_SIZE = 50

/** Throttling and server faults are retried with full-jitter backoff; the other errors end the region at once. */
export const LOOKUP_RETRY = { attempts: 8, baseMs: 1000, capMs: 20_000 } as const

/** One account-and-region's limiter: every LookupEvents call of the region, retries included, passes through it. */
export const createLookupLimiter = (rate: { intervalCap: number, interval: number } = LOOKUP_RATE): PQueue =>
  new PQueue({ concurrency: 1, intervalCap: rate.intervalCap, interval: rate.interval, strict: true })

export interface LookupRegionOptions {
  client: CloudTrailClient
  region: string
  /** The window, inclusive, as LookupEvents takes it. */
  from: Date
  to: Date
  /** The lookup attribute: ecs.amazonaws.com for trailwarden. One attribute per call is all LookupEvents accepts. */
  eventSource: string
  limiter: PQueue
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
 * Every event of one region in the window, page by page through NextToken (MaxResults 50), each call through the
 * region's limiter; ThrottlingException and server faults retried with backoff. Never throws: a failure ends the region
 * with the error set and what was read kept.
 */
export async function lookupRegion(options: LookupRegionOptions): Promise<RegionResult> {
  const { client, region, from, to, eventSource, limiter, signal, onPage } = options
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
          result.calls += 1
          page = await limiter.add(() => client.send(new LookupEventsCommand(input), { abortSignal: signal }), { signal })
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
