import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge'
import { LRUCache } from 'lru-cache'
import type { Alert } from '../core/alerts/alert.js'
import { backoff } from '../sources/backoff.js'
import type { AlertSink, DeliveryOutcome } from './alertSink.js'
import { DeliveryError } from './deliveryError.js'
import { memoryKey } from './slack/memoryKey.js'

export interface EventBridgeSinkOptions {
  client: EventBridgeClient
  /** Bus name or ARN. */
  bus: string
  detailType?: string
  source?: string
  /** PutEvents attempts for an entry that keeps failing, before the SQS message is left for redelivery. */
  attempts?: number
  idempotencyTtlMs?: number
  /** For the retry backoff's jitter; tests pass their own. */
  random?: () => number
}

interface Pending {
  entry: PutEventsRequestEntry
  size: number
  resolve: (o: DeliveryOutcome) => void
  reject: (e: unknown) => void
}

/** PutEvents takes at most 10 entries and 1 MiB a call (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
const MAX_ENTRIES = 10
const MAX_BYTES = 1024 * 1024

/**
 * The wait before failed entries are sent again: the shared backoff (sources/backoff.ts), under a ceiling of 200 ms
 * that doubles per retry. Full jitter, because every task of the service publishes to one bus and is throttled
 * together (PutEvents' quota is per account and region, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html):
 * fixed waits would have them retry in step.
 */
const RETRY_BACKOFF = { baseMs: 200, capMs: 2_000 }

/** The detail other tools subscribe to: the alert's key facts and links, never the raw record. */
export function alertDetail(alert: Alert): Record<string, unknown> {
  return {
    ruleId: alert.ruleId,
    severity: alert.severity,
    title: alert.title,
    eventKey: alert.eventKey,
    eventId: alert.eventId,
    eventName: alert.eventName,
    eventSource: alert.eventSource,
    eventTime: alert.eventTime,
    account: alert.account,
    accountAlias: alert.accountAlias,
    region: alert.region,
    env: alert.env,
    actor: { type: alert.actor.type, arn: alert.actor.arn, name: alert.actor.name, via: alert.actor.via, mfa: alert.actor.mfa, console: alert.actor.console },
    ecs: alert.ecs,
    errorCode: alert.errorCode,
    tags: alert.tags,
    links: alert.links,
  }
}

/**
 * Publishes every alert to an event bus as a custom event (source "trailwarden", detail-type "trailwarden Alert"),
 * so PagerDuty, Step Functions or a SIEM can subscribe. Batched (≤10 entries, ≤1 MiB a call); when some entries of a
 * call fail (FailedEntryCount), only those are sent again, never the ones that succeeded, up to `attempts` calls in
 * all; each (event, rule) is published once while the idempotency memory holds it (24 h by default).
 */
export function createEventBridgeSink(options: EventBridgeSinkOptions): AlertSink {
  const { client, bus, detailType = 'trailwarden Alert', source = 'trailwarden', attempts = 3, random = Math.random } = options
  const published = new LRUCache<string, DeliveryOutcome>({ max: 100_000, ttl: options.idempotencyTtlMs ?? 24 * 3_600_000 })
  const inFlight = new Map<string, Promise<DeliveryOutcome>>()
  let queue: Pending[] = []
  let timer: NodeJS.Timeout | undefined
  let flushing = Promise.resolve()

  const schedule = () => {
    if (queue.length >= MAX_ENTRIES) void flush()
    else timer ??= setTimeout(() => void flush(), 20)
  }

  /** One PutEvents call; `attempt` counts the calls these entries have already been in. */
  async function send(batch: Pending[], attempt = 0): Promise<void> {
    let res: { Entries?: PutEventsResultEntry[] }
    try {
      res = await client.send(new PutEventsCommand({ Entries: batch.map((p) => p.entry) }))
    } catch (err) {
      // The whole call failed (throttling, network): every entry in it is retried.
      res = { Entries: batch.map(() => ({ ErrorCode: (err as { name?: string }).name ?? 'Error', ErrorMessage: String(err) })) }
    }
    const retry: Pending[] = []
    batch.forEach((p, i) => {
      const r = res.Entries?.[i]
      if (r?.EventId) p.resolve({ status: 'posted', channel: `eventbridge:${bus}`, ts: r.EventId })
      else if (attempt + 1 < attempts) retry.push(p)
      else p.reject(new DeliveryError('retryable', `eventbridge:${bus}`, r?.ErrorCode ?? 'unknown', `PutEvents to ${bus} failed: ${r?.ErrorCode ?? 'unknown'} ${r?.ErrorMessage ?? ''}`))
    })
    if (retry.length > 0) {
      await new Promise((r) => setTimeout(r, backoff(attempt + 1, RETRY_BACKOFF, random)))
      await send(retry, attempt + 1)
    }
  }

  async function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    // In arrival order, as many as fit in one call; an entry larger than a call on its own goes alone.
    const batches: Pending[][] = []
    let batch: Pending[] = []
    let bytes = 0
    for (const p of queue) {
      if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + p.size > MAX_BYTES)) {
        batches.push(batch)
        batch = []
        bytes = 0
      }
      batch.push(p)
      bytes += p.size
    }
    if (batch.length > 0) batches.push(batch)
    queue = []
    flushing = flushing.then(() => Promise.all(batches.map((b) => send(b))).then(() => undefined))
    await flushing
  }

  return {
    name: 'eventbridge',
    deliver(alert) {
      // Like the Slack sink's: the record's digest is part of the identity (a forged record cannot suppress the real
      // one), and the key is a fixed-size hash whatever the eventID holds.
      const key = memoryKey(alert.eventKey, alert.recordDigest, alert.ruleId)
      const done = published.get(key)
      if (done) return Promise.resolve({ ...done, status: 'duplicate' })
      const running = inFlight.get(key)
      if (running) return running
      const detail = JSON.stringify(alertDetail(alert))
      const entry: PutEventsRequestEntry = { EventBusName: bus, Source: source, DetailType: detailType, Detail: detail, Time: new Date(alert.eventTime) }
      const promise = new Promise<DeliveryOutcome>((resolve, reject) => {
        // PutEvents counts an entry's UTF-8 bytes (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html):
        // non-ASCII text is up to three bytes a character, so characters would undercount a batch.
        queue.push({ entry, size: Buffer.byteLength(detail) + Buffer.byteLength(source) + Buffer.byteLength(detailType) + 100, resolve, reject })
        schedule()
      })
        .then((outcome) => {
          published.set(key, outcome)
          return outcome
        })
        .finally(() => inFlight.delete(key))
      inFlight.set(key, promise)
      return promise
    },
    async close() {
      await flush()
    },
  }
}
