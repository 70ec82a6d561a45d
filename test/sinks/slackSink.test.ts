import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { DeliveryError } from '../../src/sinks/deliveryError.js'
import { createSlackSink, type SlackSinkOptions } from '../../src/sinks/slackSink.js'
import { alertFor } from '../support/alerts.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'

let slack: SlackDouble
let base: Alert
beforeAll(async () => {
  slack = await startSlackDouble()
  base = await alertFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod')
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

/** The real WebClient, as the command layer builds it, but without its own retries so tests are quick. */
const client = (timeout = 2_000) => new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout })
const sink = (options: Partial<SlackSinkOptions> = {}) => createSlackSink({ client: client(), channelIntervalMs: 20, ...options })
const withKey = (alert: Alert, n: number): Alert => ({ ...alert, eventKey: `111122223333:event-${n}`, eventId: `event-${n}` })

describe('the Slack sink', () => {
  it('posts an alert once; a redelivered SQS message is a duplicate, not a second post', async () => {
    const s = sink()
    expect(await s.deliver(base, { channel: '#prod-changes' })).toMatchObject({ status: 'posted', channel: '#prod-changes' })
    expect(await s.deliver(base, { channel: '#prod-changes' })).toMatchObject({ status: 'duplicate' })
    const [a, b] = await Promise.all([s.deliver(withKey(base, 2), { channel: '#alerts' }), s.deliver(withKey(base, 2), { channel: '#alerts' })])
    expect(a).toEqual(b)
    expect(slack.callsOf('chat.postMessage')).toHaveLength(2)
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0PRODCH', 'C0ALERTS'])
    await s.close()
  })

  it('honours a 429\'s Retry-After on that channel only, then posts', async () => {
    const s = sink()
    slack.setResponder(({ args }) => (args.channel === '#alerts' && slack.callsOf('chat.postMessage').filter((c) => c.reply === 'rateLimited').length === 0 ? { kind: 'rateLimited', retryAfterSeconds: 1 } : undefined))
    const t0 = Date.now()
    const limited = s.deliver(withKey(base, 1), { channel: '#alerts' })
    const other = await s.deliver(withKey(base, 2), { channel: '#security' })
    const otherAt = Date.now() - t0
    expect(await limited).toMatchObject({ status: 'posted' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    expect(other.status).toBe('posted')
    expect(otherAt).toBeLessThan(900)
    expect(slack.messages).toHaveLength(2)
    await s.close()
  })

  it('a 503 is retryable: nothing is posted, and the next delivery posts exactly once', async () => {
    const s = sink({ breakerMs: 0 })
    slack.script('chat.postMessage', { kind: 'http', status: 503 })
    const err = await s.deliver(base, { channel: '#alerts' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
    expect(err).toMatchObject({ kind: 'retryable', code: 'http_503' })
    expect(await s.deliver(base, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(slack.messages).toHaveLength(1)
    await s.close()
  })

  it('a Slack outage of five minutes loses nothing: every redelivery fails retryably until Slack is back', async () => {
    let fakeNow = Date.parse('2026-11-22T12:00:00Z')
    const outageEnds = fakeNow + 5 * 60_000
    slack.setResponder(() => (fakeNow < outageEnds ? (fakeNow % 2 === 0 ? { kind: 'http', status: 503 } : { kind: 'hang' }) : undefined))
    const s = createSlackSink({ client: client(200), channelIntervalMs: 10, now: () => fakeNow })
    const alerts = [1, 2, 3].map((n) => withKey(base, n))
    let failures = 0
    const pending = new Set(alerts)
    // SQS redelivers every visibility timeout (30 s here) until the message is deleted.
    while (pending.size > 0) {
      for (const a of [...pending]) {
        const outcome = await s.deliver(a, { channel: '#alerts' }).catch((e: unknown) => e)
        if (outcome instanceof DeliveryError) {
          expect(outcome.kind).toBe('retryable')
          failures += 1
        } else pending.delete(a)
      }
      fakeNow += 30_001
    }
    expect(failures).toBeGreaterThanOrEqual(3 * 10)
    expect(slack.messages.map((m) => m.blocks?.length)).toHaveLength(3)
    await s.close()
  })

  it('channel_not_found: posted to the fallback channel with a notice, readiness told, the message kept (error thrown)', async () => {
    const problems: string[] = []
    const s = sink({ fallbackChannel: '#fallback', onConfigurationError: (channel, code) => problems.push(`${channel} ${code}`) })
    const err = await s.deliver(base, { channel: '#nowhere' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ kind: 'configuration', code: 'channel_not_found' })
    expect(problems).toEqual(['#nowhere channel_not_found'])
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0FALLBK'])
    expect(JSON.stringify(slack.messages[0]?.blocks)).toContain('Could not post to #nowhere (channel_not_found); posted here instead.')
    // The redelivery fails the same way but does not post to the fallback twice.
    await s.deliver(base, { channel: '#nowhere' }).catch(() => undefined)
    expect(slack.messages).toHaveLength(1)
    await s.close()
  })

  it.each(['not_in_channel', 'invalid_auth', 'account_inactive'])('%s is a configuration failure', async (code) => {
    const s = sink()
    slack.script('chat.postMessage', { kind: 'error', error: code })
    expect(await s.deliver(base, { channel: '#alerts' }).catch((e: unknown) => e)).toMatchObject({ kind: 'configuration', code })
    await s.close()
  })

  it.each(['msg_too_long', 'invalid_blocks'])('%s: the minimal rendering is sent instead', async (code) => {
    const s = sink()
    slack.script('chat.postMessage', { kind: 'error', error: code })
    expect(await s.deliver(base, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(slack.messages).toHaveLength(1)
    expect(slack.messages[0]?.blocks).toBeUndefined()
    expect(slack.messages[0]?.text).toContain(`(the full alert was rejected by Slack: \`${code}\`)`)
    await s.close()
  })

  it('after a retryable failure the channel fails fast for a while (no pile of timeouts), other channels are untouched', async () => {
    let fakeNow = 0
    const s = sink({ now: () => fakeNow, breakerMs: 5_000 })
    slack.script('chat.postMessage', { kind: 'http', status: 503 })
    await s.deliver(withKey(base, 1), { channel: '#alerts' }).catch(() => undefined)
    expect(await s.deliver(withKey(base, 2), { channel: '#alerts' }).catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', code: 'circuit_open' })
    expect((await s.deliver(withKey(base, 3), { channel: '#security' })).status).toBe('posted')
    fakeNow = 6_000
    expect((await s.deliver(withKey(base, 2), { channel: '#alerts' })).status).toBe('posted')
    expect(slack.callsOf('chat.postMessage')).toHaveLength(3)
    await s.close()
  })

  it('a hanging Slack times out as retryable', async () => {
    const s = createSlackSink({ client: client(200), channelIntervalMs: 10 })
    slack.script('chat.postMessage', { kind: 'hang' })
    expect(await s.deliver(base, { channel: '#alerts' }).catch((e: unknown) => e)).toMatchObject({ kind: 'retryable' })
    await s.close()
  })
})

describe('dedup threads and storms', () => {
  it('threads later matches under the first and keeps a live count on it', async () => {
    const s = sink()
    const deduped: Alert = { ...base, dedup: { key: 'arn:aws:sts::111122223333:assumed-role/x/alice', windowMs: 60_000 } }
    const outcomes = []
    for (const n of [1, 2, 3]) outcomes.push(await s.deliver(withKey(deduped, n), { channel: '#alerts' }))
    expect(outcomes.map((o) => o.status)).toEqual(['posted', 'threaded', 'threaded'])
    const [parent, ...replies] = slack.messages
    expect(replies.map((r) => r.threadTs)).toEqual([parent!.ts, parent!.ts])
    expect(slack.callsOf('chat.update')).toHaveLength(2)
    expect(JSON.stringify(parent!.blocks)).toContain('*2 more like this* in the thread, last at')
    await s.close()
  })

  it('a new dedup window starts a new parent', async () => {
    let fakeNow = 0
    const s = sink({ now: () => fakeNow })
    const deduped: Alert = { ...base, dedup: { key: 'k', windowMs: 1_000 } }
    await s.deliver(withKey(deduped, 1), { channel: '#alerts' })
    fakeNow = 2_000
    expect((await s.deliver(withKey(deduped, 2), { channel: '#alerts' })).status).toBe('posted')
    await s.close()
  })

  it('switches a flooded channel to digests: Slack calls stay few and every event is accounted for', async () => {
    const s = sink({ stormThreshold: 5, digestIntervalMs: 150, channelIntervalMs: 20 })
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, n) => s.deliver(withKey(base, n), { channel: '#alerts' })))
    const byStatus = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {})
    expect(byStatus).toEqual({ posted: 5, digested: 55 })
    const posts = slack.callsOf('chat.postMessage')
    expect(posts.length).toBeLessThanOrEqual(5 + 3)
    const digests = slack.messages.filter((m) => m.text.startsWith('Alert storm:'))
    expect(digests.reduce((sum, d) => sum + Number(/(\d+) alerts/.exec(d.text)![1]), 0)).toBe(55)
    await s.close()
  })
})
