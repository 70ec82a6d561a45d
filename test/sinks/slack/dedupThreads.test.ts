import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { ChannelQueues } from '../../../src/sinks/slack/channelQueues.js'
import { DedupThreads } from '../../../src/sinks/slack/dedupThreads.js'
import { SlackPoster } from '../../../src/sinks/slack/slackPoster.js'
import { alertFor } from '../../support/alerts.js'
import { fixtureJson } from '../../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

const DENIED = 'rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json'

let slack: SlackDouble
let poster: SlackPoster
let denied: Alert & { dedup: NonNullable<Alert['dedup']> }
beforeAll(async () => {
  slack = await startSlackDouble()
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
  poster = new SlackPoster(client, new ChannelQueues({ intervalMs: 1, maxRateLimitWaitMs: 0, breakerMs: 0, now: Date.now }))
  const alert = await alertFor(DENIED, 'ecs-access-denied')
  if (!alert.dedup) throw new Error('ecs-access-denied deduplicates by actor.arn')
  denied = { ...alert, dedup: alert.dedup }
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

const nth = (n: number, at = `2026-11-02T10:${String(13 + n).padStart(2, '0')}:07Z`) => ({ ...denied, eventKey: `444455556666:denied-${n}`, eventId: `denied-${n}`, eventTime: at })

describe('dedup threads', () => {
  it('the first match posts the parent; later ones reply in its thread and keep a live count on it', async () => {
    const threads = new DedupThreads({ now: Date.now })
    const target = { channel: '#security', mention: '@here' }
    const outcomes = []
    for (const n of [1, 2, 3]) outcomes.push(await threads.deliver(nth(n), target, poster))
    expect(outcomes.map((o) => o.status)).toEqual(['posted', 'threaded', 'threaded'])
    const [parent, ...replies] = slack.messages
    expect(replies.map((r) => r.threadTs)).toEqual([parent!.ts, parent!.ts])
    expect(slack.callsOf('chat.update').map((c) => c.args.ts)).toEqual([parent!.ts, parent!.ts])
    // Kept rendered, the parent is updated to exactly what rendering the first alert with the count gives.
    const expected = renderSlack(nth(1), { mention: '@here', more: { count: 2, lastAt: nth(3).eventTime } })
    expect(parent!.text).toBe(expected.text)
    expect(parent!.blocks).toEqual(expected.blocks)
  })

  it('a match after the window starts a new parent; another key or channel has its own thread', async () => {
    let fakeNow = 0
    const threads = new DedupThreads({ now: () => fakeNow })
    expect((await threads.deliver(nth(1), { channel: '#security' }, poster)).status).toBe('posted')
    expect((await threads.deliver({ ...nth(2), dedup: { ...denied.dedup, key: 'arn:aws:iam::444455556666:user/eve' } }, { channel: '#security' }, poster)).status).toBe('posted')
    expect((await threads.deliver(nth(3), { channel: '#alerts' }, poster)).status).toBe('posted')
    fakeNow = denied.dedup.windowMs + 1
    expect((await threads.deliver(nth(4), { channel: '#security' }, poster)).status).toBe('posted')
    expect((await threads.deliver(nth(5), { channel: '#security' }, poster)).status).toBe('threaded')
  })

  it('a failed count update does not fail the delivered reply', async () => {
    const threads = new DedupThreads({ now: Date.now })
    await threads.deliver(nth(1), { channel: '#security' }, poster)
    slack.script('chat.update', { kind: 'http', status: 503 })
    expect((await threads.deliver(nth(2), { channel: '#security' }, poster)).status).toBe('threaded')
    expect(slack.messages).toHaveLength(2)
  })

  it('100 KB ARNs, eventIDs, user agents and error messages: each thread costs its rendered parent, bounded in bytes', async () => {
    const record = fixtureJson(DENIED) as { userIdentity: Record<string, unknown> }
    const huge = (n: number) => `${String(n).padStart(4, '0')}${'x'.repeat(100_000)}`
    const threads = new DedupThreads({ now: Date.now, maxBytes: 256 * 1024 })
    for (let n = 0; n < 60; n++) {
      const body = JSON.stringify({
        ...record,
        userIdentity: { ...record.userIdentity, arn: `arn:aws:iam::444455556666:user/${huge(n)}` },
        eventID: huge(n),
        userAgent: huge(n),
        errorMessage: `User is not authorized: ${huge(n)}`,
      })
      const alert = await alertFor(DENIED, 'ecs-access-denied', body)
      // buildAlert bounds the dedup key it shows; the threads must bound any alert they are given, so it goes back whole.
      await threads.deliver({ ...alert, eventName: huge(n), dedup: { ...alert.dedup!, key: huge(n) } }, { channel: '#security' }, poster)
      // A rendered parent is a few KB whatever the event carried, against 500 KB of event-derived strings.
      expect(threads.bytes).toBeLessThanOrEqual(Math.min(256 * 1024, (n + 1) * 24 * 1024))
    }
    expect(threads.bytes).toBeGreaterThan(0)
  })
})
