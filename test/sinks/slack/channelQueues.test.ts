import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DeliveryError } from '../../../src/sinks/deliveryError.js'
import { ChannelQueues, type ChannelQueuesOptions } from '../../../src/sinks/slack/channelQueues.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

let slack: SlackDouble
let client: WebClient
beforeAll(async () => {
  slack = await startSlackDouble()
  client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

const queues = (options: Partial<ChannelQueuesOptions> = {}) =>
  new ChannelQueues({ intervalMs: 10, maxRateLimitWaitMs: 60_000, breakerMs: 5_000, now: Date.now, ...options })

/** One chat.postMessage through the queue, as the sink makes it. */
const post = (q: ChannelQueues, channel: string, text: string) =>
  q.schedule(channel, () => q.call(channel, 'chat.postMessage', () => client.chat.postMessage({ channel, text })))

describe('the per-channel queue', () => {
  it('paces one channel: task starts are at least the interval apart, one at a time, in arrival order', async () => {
    const q = queues({ intervalMs: 120 })
    const started: Array<[string, number]> = []
    let running = 0
    let most = 0
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => q.schedule('#alerts', async () => {
      started.push([text, Date.now()])
      most = Math.max(most, ++running)
      await client.chat.postMessage({ channel: '#alerts', text })
      running -= 1
    })))
    expect(started.map(([t]) => t)).toEqual(['a', 'b', 'c', 'd'])
    expect(most).toBe(1)
    // A lower bound only: p-queue's sliding window never starts two tasks closer than the interval.
    for (let i = 1; i < started.length; i++) expect(started[i]![1] - started[i - 1]![1]).toBeGreaterThanOrEqual(115)
    expect(slack.messages.map((m) => m.text)).toEqual(['a', 'b', 'c', 'd'])
    await q.close()
  })

  it('waits out a 429\'s Retry-After on that channel only: another channel posts meanwhile', async () => {
    const rateLimited: string[] = []
    const q = queues({ metrics: { rateLimited: (channel) => rateLimited.push(channel) } })
    slack.setResponder(({ args }) => (args.channel === '#alerts' && rateLimited.length === 0 ? { kind: 'rateLimited', retryAfterSeconds: 1 } : undefined))
    const order: string[] = []
    const limited = post(q, '#alerts', 'limited').then(() => order.push('#alerts'))
    await post(q, '#security', 'free').then(() => order.push('#security'))
    await limited
    expect(order).toEqual(['#security', '#alerts'])
    expect(rateLimited).toEqual(['#alerts'])
    expect(slack.callsOf('chat.postMessage').map((c) => [c.args.channel, c.reply])).toEqual([['#alerts', 'rateLimited'], ['#security', 'ok'], ['#alerts', 'ok']])
    await q.close()
  })

  it('a Retry-After beyond the budget fails retryably at once (the message is redelivered later)', async () => {
    const q = queues({ maxRateLimitWaitMs: 500, breakerMs: 0 })
    slack.script('chat.postMessage', { kind: 'rateLimited', retryAfterSeconds: 30 })
    const err = await post(q, '#alerts', 'x').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
    expect(err).toMatchObject({ kind: 'retryable', code: 'ratelimited', channel: '#alerts' })
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
    await q.close()
  })

  it('after a retryable failure the channel fails fast (circuit_open, no Slack call) until the breaker closes; others are untouched', async () => {
    let fakeNow = 0
    const failed: string[] = []
    const q = queues({ now: () => fakeNow, breakerMs: 5_000, metrics: { failed: (channel, kind, code) => failed.push(`${channel} ${kind} ${code}`) } })
    slack.script('chat.postMessage', { kind: 'http', status: 503 })
    expect(await post(q, '#alerts', '1').catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', code: 'http_503' })
    expect(await post(q, '#alerts', '2').catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', code: 'circuit_open' })
    await post(q, '#security', '3')
    fakeNow = 5_001
    await post(q, '#alerts', '2')
    expect(slack.callsOf('chat.postMessage').map((c) => c.args.text)).toEqual(['1', '3', '2'])
    expect(failed).toEqual(['#alerts retryable http_503'])
    await q.close()
  })

  it('configuration and payload failures do not open the breaker', async () => {
    const q = queues()
    slack.script('chat.postMessage', { kind: 'error', error: 'not_in_channel' }, { kind: 'error', error: 'msg_too_long' })
    expect(await post(q, '#alerts', '1').catch((e: unknown) => e)).toMatchObject({ kind: 'configuration', code: 'not_in_channel' })
    expect(await post(q, '#alerts', '2').catch((e: unknown) => e)).toMatchObject({ kind: 'payload', code: 'msg_too_long' })
    await post(q, '#alerts', '3')
    expect(slack.messages.map((m) => m.text)).toEqual(['3'])
    await q.close()
  })

  it('a new pace applies without losing order or running two at once in a channel', async () => {
    const q = queues({ intervalMs: 200 })
    const started: string[] = []
    let running = 0
    let most = 0
    const task = (name: string) => q.schedule('#alerts', async () => {
      started.push(name)
      most = Math.max(most, ++running)
      await client.chat.postMessage({ channel: '#alerts', text: name })
      running -= 1
    })
    const before = ['old-1', 'old-2', 'old-3'].map(task)
    q.configure({ intervalMs: 5 })
    const after = ['new-1', 'new-2', 'new-3'].map(task)
    await Promise.all([...before, ...after])
    expect(started).toEqual(['old-1', 'old-2', 'old-3', 'new-1', 'new-2', 'new-3'])
    expect(most).toBe(1)
    await q.close()
  })

  it('close: the running task finishes, tasks not yet started fail retryably (shutting_down)', async () => {
    const q = queues({ intervalMs: 10_000 })
    const first = post(q, '#alerts', 'running')
    const second = post(q, '#alerts', 'queued').catch((e: unknown) => e)
    await q.close()
    expect((await first).ok).toBe(true)
    expect(await second).toMatchObject({ kind: 'retryable', code: 'shutting_down' })
    expect(slack.messages.map((m) => m.text)).toEqual(['running'])
  })
})
