import type { WebClient } from '@slack/web-api'
import { LRUCache } from 'lru-cache'
import PQueue from 'p-queue'
import type { Alert } from '../core/alerts/alert.js'
import { renderDigest } from '../core/alerts/renderDigest.js'
import { renderMinimal, renderReply, renderSlack } from '../core/alerts/renderSlack.js'
import type { Target } from '../core/alerts/routeAlert.js'
import type { SlackMessage } from '../core/alerts/slackBlocks.js'
import type { AlertSink, DeliveryOutcome, SinkMetrics } from './alertSink.js'
import { classifySlackError } from './classifySlackError.js'
import { DeliveryError } from './deliveryError.js'
import { StormGuard } from './stormGuard.js'

export interface SlackSinkOptions {
  /** Built by the command layer with rejectRateLimitedCalls: true, so 429s reach us per channel. */
  client: WebClient
  /** Where alerts go when their channel is missing or the bot is not in it. */
  fallbackChannel?: string | undefined
  /** Alerts a minute per channel before the channel switches to digests. */
  stormThreshold?: number
  digestIntervalMs?: number
  /** Slack allows about one chat.postMessage per second per channel (https://api.slack.com/methods/chat.postMessage, rate limits). */
  channelIntervalMs?: number
  /** Most time spent waiting out Retry-After for one delivery before giving up (the message is redelivered later). */
  maxRateLimitWaitMs?: number
  /** How long a delivered (event, rule, channel) is remembered, so a redelivered SQS message never posts twice. */
  idempotencyTtlMs?: number
  idempotencyMax?: number
  now?: () => number
  metrics?: SinkMetrics
  /** A token or channel problem: the daemon turns readiness false until a delivery to that channel succeeds. */
  onConfigurationError?: (channel: string, code: string) => void
  onDelivered?: (channel: string) => void
  /**
   * After a retryable failure (5xx, timeout, network) the channel's queued deliveries fail at once for this long
   * instead of each waiting for its own timeout; the message goes back to SQS and is retried later.
   */
  breakerMs?: number
}

interface ThreadState {
  channelId: string
  parentTs: string
  parent: Alert
  mention: string | undefined
  count: number
  lastAt: string
  windowEnd: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Delivers alerts to Slack: one queue per channel at Slack's per-channel rate, Retry-After honoured per channel,
 * failures classified (retryable / configuration / payload), idempotent per (event, rule, channel), dedup threads
 * with a live count on the parent, and digests during storms.
 */
export function createSlackSink(options: SlackSinkOptions): AlertSink {
  const {
    client,
    fallbackChannel,
    stormThreshold = 20,
    digestIntervalMs = 60_000,
    channelIntervalMs = 1_000,
    maxRateLimitWaitMs = 60_000,
    idempotencyTtlMs = 24 * 3_600_000,
    idempotencyMax = 100_000,
    now = Date.now,
    metrics = {},
    breakerMs = 5_000,
  } = options
  const brokenUntil = new Map<string, number>()
  const queues = new Map<string, PQueue>()
  const delivered = new LRUCache<string, DeliveryOutcome>({ max: idempotencyMax, ttl: idempotencyTtlMs, ttlAutopurge: false })
  const inFlight = new Map<string, Promise<DeliveryOutcome>>()
  const threads = new LRUCache<string, ThreadState>({ max: 10_000 })
  /** Set by close(): deliveries not yet started fail (retryable) — their messages were released to the queue. */
  let closing = false
  const storms = new StormGuard({
    threshold: stormThreshold,
    intervalMs: digestIntervalMs,
    now,
    flush: async (channel, alerts, since) => (await post(channel, renderDigest(alerts, new Date(since).toISOString(), stormThreshold))).ts,
  })

  const queueFor = (channel: string): PQueue => {
    let q = queues.get(channel)
    if (!q) {
      q = new PQueue({ concurrency: 1, intervalCap: 1, interval: channelIntervalMs })
      queues.set(channel, q)
    }
    return q
  }

  /** One Slack call; waits out 429s within the budget, and turns every other failure into a DeliveryError. */
  async function call<T>(channel: string, method: string, fn: () => Promise<T>): Promise<T> {
    let waited = 0
    for (;;) {
      try {
        return await fn()
      } catch (err) {
        const failure = classifySlackError(err)
        if (failure.retryAfterMs !== undefined) {
          metrics.rateLimited?.(channel)
          if (waited + failure.retryAfterMs <= maxRateLimitWaitMs) {
            waited += failure.retryAfterMs
            await sleep(failure.retryAfterMs)
            continue
          }
        }
        metrics.failed?.(channel, failure.kind, failure.code)
        if (failure.kind === 'retryable') brokenUntil.set(channel, now() + breakerMs)
        throw new DeliveryError(failure.kind, channel, failure.code, `Slack ${method} to ${channel} failed: ${failure.code} (${failure.kind})`)
      }
    }
  }

  async function post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ ts: string, channelId: string }> {
    const res = await call(channel, 'chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        text: message.text,
        ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    )
    return { ts: res.ts ?? '', channelId: res.channel ?? channel }
  }

  /** Post; when Slack rejects the payload itself, post the minimal text-only rendering instead. */
  async function postAlert(alert: Alert, channel: string, message: SlackMessage, threadTs?: string) {
    try {
      return await post(channel, message, threadTs)
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'payload') return post(channel, renderMinimal(alert, err.code), threadTs)
      throw err
    }
  }

  async function deliverNow(alert: Alert, target: Target): Promise<DeliveryOutcome> {
    const { channel } = target
    if (closing) throw new DeliveryError('retryable', channel, 'shutting_down', 'trailwarden is shutting down; the message returns to the queue')
    if ((brokenUntil.get(channel) ?? 0) > now()) throw new DeliveryError('retryable', channel, 'circuit_open', `Slack failed for ${channel} moments ago; retrying later`)
    if (alert.dedup) {
      const key = `${channel}|${alert.ruleId}|${alert.dedup.key}`
      const thread = threads.get(key)
      if (thread && now() < thread.windowEnd) {
        const reply = await postAlert(alert, channel, renderReply(alert), thread.parentTs)
        thread.count += 1
        thread.lastAt = alert.eventTime
        const parent = renderSlack(thread.parent, { mention: thread.mention, more: { count: thread.count, lastAt: thread.lastAt } })
        // The reply is delivered; a failed count update must not make SQS redeliver it.
        await call(channel, 'chat.update', () => client.chat.update({ channel: thread.channelId, ts: thread.parentTs, text: parent.text, blocks: parent.blocks })).catch(() => undefined)
        return { status: 'threaded', channel, ts: reply.ts }
      }
      const posted = await postAlert(alert, channel, renderSlack(alert, { mention: target.mention }))
      threads.set(key, {
        channelId: posted.channelId,
        parentTs: posted.ts,
        parent: alert,
        mention: target.mention,
        count: 0,
        lastAt: alert.eventTime,
        windowEnd: now() + alert.dedup.windowMs,
      })
      return { status: 'posted', channel, ts: posted.ts }
    }
    const posted = await postAlert(alert, channel, renderSlack(alert, { mention: target.mention }))
    return { status: 'posted', channel, ts: posted.ts }
  }

  async function deliverToFallback(alert: Alert, failed: DeliveryError): Promise<void> {
    if (!fallbackChannel || fallbackChannel === failed.channel) return
    const key = `${alert.eventKey}|${alert.ruleId}|${fallbackChannel}`
    if (delivered.has(key)) return
    const notice = `Could not post to ${failed.channel} (${failed.code}); posted here instead. Fix the channel or invite the bot.`
    const posted = await queueFor(fallbackChannel).add(() => postAlert(alert, fallbackChannel, renderSlack(alert, { notice })))
    delivered.set(key, { status: 'fallback', channel: fallbackChannel, ts: posted.ts })
  }

  async function deliverOnce(alert: Alert, target: Target): Promise<DeliveryOutcome> {
    try {
      const digested = storms.offer(target.channel, alert)
      const outcome: DeliveryOutcome = digested
        ? { status: 'digested', channel: target.channel, ts: await digested }
        : await queueFor(target.channel).add(() => deliverNow(alert, target))
      options.onDelivered?.(target.channel)
      return outcome
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'configuration') {
        options.onConfigurationError?.(err.channel, err.code)
        await deliverToFallback(alert, err).catch(() => undefined)
      }
      throw err
    }
  }

  return {
    name: 'slack',
    deliver(alert, target) {
      const key = `${alert.eventKey}|${alert.ruleId}|${target.channel}`
      const done = delivered.get(key)
      if (done && done.status !== 'fallback') return Promise.resolve({ ...done, status: 'duplicate' })
      const running = inFlight.get(key)
      if (running) return running
      const attempt = deliverOnce(alert, target)
        .then((outcome) => {
          delivered.set(key, outcome)
          metrics.delivered?.(target.channel, outcome.status)
          return outcome
        })
        .finally(() => inFlight.delete(key))
      inFlight.set(key, attempt)
      return attempt
    },
    async close() {
      closing = true
      storms.abandon(new DeliveryError('retryable', '*', 'shutting_down', 'trailwarden is shutting down; the message returns to the queue'))
      await Promise.all([...queues.values()].map((q) => q.onIdle()))
    },
  }
}
