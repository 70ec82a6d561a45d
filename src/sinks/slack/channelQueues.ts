import { setTimeout as sleep } from 'node:timers/promises'
import PQueue from 'p-queue'
import type { SinkMetrics } from '../alertSink.js'
import { DeliveryError } from '../deliveryError.js'
import { classifySlackError } from './classifySlackError.js'

export interface ChannelQueuesOptions {
  /**
   * Least time between two Slack posts in one channel. Slack allows about one chat.postMessage per second per
   * channel, short bursts tolerated (https://docs.slack.dev/apis/web-api/rate-limits, "Posting messages").
   */
  intervalMs: number
  /** Most time spent waiting out Retry-After for one call before giving up (the message is redelivered later). */
  maxRateLimitWaitMs: number
  /**
   * After a retryable failure (5xx, timeout, network) the channel's queued work fails at once for this long instead
   * of each task waiting for its own timeout; the message goes back to SQS and is retried later.
   */
  breakerMs: number
  now: () => number
  metrics?: Pick<SinkMetrics, 'failed' | 'rateLimited'>
}

/**
 * One queue per Slack channel: tasks run one at a time at the channel's pace, a 429 is waited out on that channel
 * only (the client is built with rejectRateLimitedCalls, so it does not pause every channel), every other failure
 * becomes a classified DeliveryError, and a retryable one opens a short breaker on the channel.
 */
export class ChannelQueues {
  private readonly queues = new Map<string, PQueue>()
  /** Queues replaced by configure() that still have work: close() waits for them too. */
  private readonly retired = new Set<PQueue>()
  private readonly brokenUntil = new Map<string, number>()
  private intervalMs: number
  private closing = false
  /** Tasks queued but not started, so close() can fail them at once. */
  private readonly waiting = new Set<{ channel: string, reject: (err: unknown) => void }>()

  constructor(private readonly options: ChannelQueuesOptions) {
    this.intervalMs = options.intervalMs
  }

  /**
   * Run `task` in the channel's turn. When its turn comes while the channel's breaker is open it fails retryably
   * without calling Slack: its message goes back to SQS.
   */
  schedule<T>(channel: string, task: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(shuttingDown(channel))
    return new Promise<T>((resolve, reject) => {
      const waiting = { channel, reject }
      this.waiting.add(waiting)
      this.queueFor(channel).add(() => {
        this.waiting.delete(waiting)
        if ((this.brokenUntil.get(channel) ?? 0) > this.options.now())
          return Promise.reject(new DeliveryError('retryable', channel, 'circuit_open', `Slack failed for ${channel} moments ago; retrying later`))
        return task()
      }).then(resolve, reject)
    })
  }

  /**
   * One Slack call for a channel: waits out 429s within the budget; any other failure → a DeliveryError. The wait is
   * the Retry-After Slack sent, not a backoff of our own: Slack says how long the channel is limited
   * (https://docs.slack.dev/apis/web-api/rate-limits), and an earlier call would only be limited again.
   */
  async call<T>(channel: string, method: string, fn: () => Promise<T>): Promise<T> {
    const { metrics = {} } = this.options
    let waited = 0
    for (;;) {
      try {
        return await fn()
      } catch (err) {
        const failure = classifySlackError(err)
        if (failure.retryAfterMs !== undefined) {
          metrics.rateLimited?.(channel)
          if (waited + failure.retryAfterMs <= this.options.maxRateLimitWaitMs) {
            waited += failure.retryAfterMs
            await sleep(failure.retryAfterMs)
            continue
          }
        }
        metrics.failed?.(channel, failure.kind, failure.code)
        if (failure.kind === 'retryable') this.brokenUntil.set(channel, this.options.now() + this.options.breakerMs)
        throw new DeliveryError(failure.kind, channel, failure.code, `Slack ${method} to ${channel} failed: ${failure.code} (${failure.kind})`)
      }
    }
  }

  /**
   * A new pace (a reload changed slack.perChannelPerSecond). p-queue fixes its interval at construction, so each
   * channel gets a new queue; one that still has work hands over only when it is idle, keeping one task at a time
   * per channel and the order of arrival.
   */
  configure({ intervalMs }: { intervalMs: number }): void {
    if (intervalMs === this.intervalMs) return
    this.intervalMs = intervalMs
    for (const [channel, old] of [...this.queues]) {
      if (old.size === 0 && old.pending === 0) {
        this.queues.delete(channel)
        continue
      }
      const next = this.newQueue()
      next.pause()
      this.retired.add(old)
      void old.onIdle().then(() => {
        this.retired.delete(old)
        next.start()
      })
      this.queues.set(channel, next)
    }
  }

  /**
   * Shutdown: tasks not yet started fail retryably at once (their messages are released to SQS) instead of each
   * waiting for its turn at the channel's pace; the running ones finish.
   */
  async close(): Promise<void> {
    this.closing = true
    for (const w of this.waiting) w.reject(shuttingDown(w.channel))
    this.waiting.clear()
    const all = [...this.queues.values(), ...this.retired]
    for (const q of all) q.clear()
    await Promise.all(all.map((q) => q.onIdle()))
  }

  private queueFor(channel: string): PQueue {
    let q = this.queues.get(channel)
    if (!q) {
      q = this.newQueue()
      this.queues.set(channel, q)
    }
    return q
  }

  /** strict: a sliding window, so two posts are never closer than the interval (a fixed window allows a pair at its edge). */
  private newQueue(): PQueue {
    return new PQueue({ concurrency: 1, intervalCap: 1, interval: this.intervalMs, strict: true })
  }
}

const shuttingDown = (channel: string) =>
  new DeliveryError('retryable', channel, 'shutting_down', 'trailwarden is shutting down; the message returns to the queue')
