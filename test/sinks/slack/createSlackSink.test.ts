import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { DeliveryError } from '../../../src/sinks/deliveryError.js'
import { createSlackSink, type SlackSinkOptions } from '../../../src/sinks/slack/createSlackSink.js'
import { alertFor } from '../../support/alerts.js'
import { fixtureJson } from '../../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

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

describe('idempotency per (event, record, rule, channel)', () => {
  const FIXTURE = 'rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'

  it('a forged record sent first with a real event\'s eventID does not suppress the real alert', async () => {
    const record = fixtureJson(FIXTURE) as { requestParameters: Record<string, unknown> }
    const forged = await alertFor(FIXTURE, 'ecs-console-change-in-prod', JSON.stringify({ ...record, requestParameters: { ...record.requestParameters, desiredCount: 0 } }))
    expect(forged.eventKey).toBe(base.eventKey)
    expect(forged.recordDigest).not.toBe(base.recordDigest)
    const s = sink()
    expect(await s.deliver(forged, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(await s.deliver(base, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    // Redeliveries of either record are duplicates.
    expect(await s.deliver(base, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    expect(await s.deliver(forged, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    expect(slack.messages).toHaveLength(2)
    await s.close()
  })
})

describe('memory bounded in bytes (#16: 3,000 events with 100 KB fields grew the process to 825 MiB)', () => {
  const DENIED = 'rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json'

  /**
   * A real AccessDenied record whose event-derived strings are 100 KB each (eventName too: the rule matches any ECS
   * call). buildAlert bounds what it shows, so the huge values are put back on the alert: the sink must hold any Alert
   * it is given within its bounds, whoever built it.
   */
  async function hugeAlert(n: number): Promise<Alert> {
    const record = fixtureJson(DENIED) as { userIdentity: Record<string, unknown> }
    const huge = `${String(n).padStart(4, '0')}${'x'.repeat(100_000)}`
    const body = JSON.stringify({
      ...record,
      eventName: `RunTask${huge}`,
      eventID: huge,
      userAgent: huge,
      errorMessage: huge,
      userIdentity: { ...record.userIdentity, arn: `arn:aws:iam::444455556666:user/${huge}` },
    })
    const alert = await alertFor(DENIED, 'ecs-access-denied', body)
    return { ...alert, eventName: `RunTask${huge}`, eventKey: `444455556666:${huge}`, errorMessage: huge, ...(alert.dedup ? { dedup: { ...alert.dedup, key: huge } } : {}) }
  }

  it('every cache is keyed by hashes and holds small values: its own calculated size stays under its bound', async () => {
    const bounds = { idempotencyMaxBytes: 64 * 1024, threadMaxBytes: 256 * 1024 }
    const s = createSlackSink({ client: client(), channelIntervalMs: 1, stormThreshold: 1_000_000, ...bounds })
    const count = 120
    for (let n = 0; n < count; n++) {
      const alert = await hugeAlert(n)
      expect(alert.eventName.length + alert.eventKey.length + (alert.errorMessage?.length ?? 0) + (alert.dedup?.key.length ?? 0)).toBeGreaterThan(400_000)
      await s.deliver(alert, { channel: n % 2 === 0 ? '#alerts' : '#security' })
      const held = s.memory()
      expect(held.deliveries).toBeLessThanOrEqual(bounds.idempotencyMaxBytes)
      expect(held.threads).toBeLessThanOrEqual(bounds.threadMaxBytes)
    }
    const held = s.memory()
    // Against 400 KB of event strings per alert: a delivery is a few hundred bytes, a thread its rendered parent (a few KB).
    expect(held.deliveries / count).toBeLessThan(1_024)
    expect(held.storms / count).toBeLessThan(256)
    expect(held.threads).toBeGreaterThan(0)
    expect(slack.messages).toHaveLength(count)
    await s.close()
  })
})

describe('reload: the sink\'s settings change without a restart', () => {
  /** The real fetch, noting when the client sends each chat.postMessage (the moment the channel's turn started). */
  const timedClient = (sentAt: number[]) => new WebClient('xoxb-test-token', {
    slackApiUrl: slack.url,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 2_000,
    fetch: (input, init) => {
      if (String(input).endsWith('chat.postMessage')) sentAt.push(Date.now())
      return fetch(input, init)
    },
  })

  it('fallbackChannel: a channel problem after the reload goes to the new fallback', async () => {
    const s = sink()
    await s.deliver(base, { channel: '#nowhere' }).catch(() => undefined)
    expect(slack.messages).toHaveLength(0)
    s.configure({ fallbackChannel: '#fallback', stormThreshold: 20, perChannelPerSecond: 50 })
    expect(await s.deliver(base, { channel: '#nowhere' }).catch((e: unknown) => e)).toMatchObject({ kind: 'configuration', code: 'channel_not_found' })
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0FALLBK'])
    await s.close()
  })

  it('stormThreshold: a lower threshold sends the next alerts to a digest', async () => {
    const s = sink({ stormThreshold: 100, digestIntervalMs: 100 })
    for (const n of [1, 2, 3]) expect((await s.deliver(withKey(base, n), { channel: '#alerts' })).status).toBe('posted')
    s.configure({ stormThreshold: 3, perChannelPerSecond: 50 })
    expect((await s.deliver(withKey(base, 4), { channel: '#alerts' })).status).toBe('digested')
    const digest = slack.messages.find((m) => m.text.startsWith('Alert storm:'))
    expect(JSON.stringify(digest?.blocks)).toContain('more than 3 alerts a minute')
    await s.close()
  })

  it('perChannelPerSecond: after a reload to 4 a second, posts in a channel are at least 250 ms apart', async () => {
    const sentAt: number[] = []
    const s = createSlackSink({ client: timedClient(sentAt), channelIntervalMs: 1 })
    await Promise.all([1, 2].map((n) => s.deliver(withKey(base, n), { channel: '#alerts' })))
    s.configure({ stormThreshold: 20, perChannelPerSecond: 4 })
    sentAt.length = 0
    await Promise.all([3, 4, 5].map((n) => s.deliver(withKey(base, n), { channel: '#alerts' })))
    expect(sentAt).toHaveLength(3)
    // Lower bounds only (a sliding window never starts two sooner); a few ms for the client's own steps.
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(240)
    await s.close()
  })
})

describe('readiness: status() names the failing check and Slack\'s code, never the workspace or the bot', () => {
  it('auth.test passes: ready, and the reason holds no team or bot name', async () => {
    const s = sink()
    expect(s.status(Date.now())).toMatchObject({ ok: false, reason: 'auth.test not run yet' })
    const status = await s.verify()
    expect(status).toMatchObject({ ok: true })
    expect(slack.callsOf('auth.test')).toHaveLength(1)
    // The double answers auth.test with team "Example", url example.slack.com, user "trailwarden", ids T0TEAM/U0BOT/B0BOT.
    expect(JSON.stringify(s.status(Date.now()))).not.toMatch(/Example|example\.slack|trailwarden|T0TEAM|U0BOT|B0BOT/)
    await s.close()
  })

  it('auth.test fails: "auth.test failed: invalid_auth"', async () => {
    const s = createSlackSink({ client: new WebClient('xoxb-revoked', { slackApiUrl: slack.url, retryConfig: { retries: 0 } }) })
    expect(await s.verify()).toMatchObject({ ok: false, reason: 'auth.test failed: invalid_auth' })
    await s.close()
  })

  it('a channel stuck on a configuration error: "#alerts: not_in_channel", until a delivery there succeeds', async () => {
    let fakeNow = 1_000
    const s = sink({ now: () => fakeNow })
    await s.verify()
    expect(s.status(fakeNow)).toMatchObject({ ok: true, since: 1_000 })
    fakeNow = 2_000
    slack.script('chat.postMessage', { kind: 'error', error: 'not_in_channel' })
    await s.deliver(withKey(base, 1), { channel: '#alerts' }).catch(() => undefined)
    expect(s.status(fakeNow)).toEqual({ ok: false, reason: '#alerts: not_in_channel', since: 2_000 })
    fakeNow = 3_000
    await s.deliver(withKey(base, 2), { channel: '#security' })
    expect(s.status(fakeNow)).toEqual({ ok: false, reason: '#alerts: not_in_channel', since: 2_000 })
    await s.deliver(withKey(base, 1), { channel: '#alerts' })
    expect(s.status(fakeNow)).toMatchObject({ ok: true, since: 3_000 })
    await s.close()
  })
})
