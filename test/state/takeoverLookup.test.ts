import { WebClient } from '@slack/web-api'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { createSlackSink, type SlackSinkOptions } from '../../src/sinks/slack/createSlackSink.js'
import { deliveryKey } from '../../src/sinks/slack/deliveryKey.js'
import { memoryKey } from '../../src/sinks/slack/memoryKey.js'
import { DynamoStateStore } from '../../src/state/dynamoStateStore.js'
import type { StateStore } from '../../src/state/stateStore.js'
import { alertFor } from '../support/alerts.js'
import { until } from '../support/daemonHarness.js'
import { useDynamoEmulator } from '../support/dynamoEmulator.js'
import { useSlackDouble } from '../support/slackDouble.js'

/**
 * The one duplicate a claim cannot close alone (#19): a replica killed after Slack accepted its post and before it
 * marked the claim delivered. Every keyed post carries its delivery key as message metadata; the replica that takes
 * the expired claim over reads the channel's history for it before posting.
 */
const dynamo = useDynamoEmulator()
const slack = useSlackDouble()
let base: Alert
beforeAll(async () => {
  base = await alertFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod')
})

const LEASE_MS = 30_000
/** Each replica's clock: real time, moved past the dead one's lease for the one taking over. */
let skew = 0
const now = () => Date.now() + skew
const client = () => new WebClient('xoxb-test-token', { slackApiUrl: slack().url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
const replica = (state: StateStore, options: Partial<SlackSinkOptions> = {}) =>
  createSlackSink({ client: client(), channelIntervalMs: 1, breakerMs: 1, stormThreshold: 1_000_000, state, now, claimLeaseMs: LEASE_MS, ...options })
const withKey = (alert: Alert, n: number): Alert => ({ ...alert, eventKey: `111122223333:takeover-${n}`, eventId: `takeover-${n}` })

/** The process dies right after Slack accepted: its mark (and a dedup group's thread record) never reach the table. */
const killedBeforeMark = (state: StateStore): StateStore => new Proxy(state, {
  get(target, property, receiver) {
    if (property === 'markDelivered') return () => Promise.reject(new Error('SIGKILL'))
    if (property === 'put') {
      return (key: string, value: unknown, ...rest: [number, number | undefined, number]) =>
        (value as { ts?: unknown }).ts === undefined ? target.put(key, value, ...rest) : Promise.reject(new Error('SIGKILL'))
    }
    const value: unknown = Reflect.get(target, property, receiver)
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
  },
})

async function table(): Promise<DynamoStateStore> {
  skew = 0
  return new DynamoStateStore(dynamo().client(), await dynamo().createTable())
}
/** The dead replica's first post taught the table the channel's ID (a background write). */
const channelLearned = (state: StateStore, channel: string) => until(async () => (await state.get(`chan#${memoryKey(channel)}`, now())) !== undefined, 5_000, `${channel}'s ID in the table`)
const accepted = () => slack().callsOf('chat.postMessage').filter((c) => c.reply === 'ok')

describe('taking over a dead replica\'s delivery', () => {
  it('finds the message the dead replica posted before its mark, and posts nothing', async () => {
    const state = await table()
    const alert = withKey(base, 1)
    const dead = replica(killedBeforeMark(state))
    const first = await dead.deliver(alert, { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 1
    const next = replica(state)
    expect(await next.deliver(alert, { channel: '#alerts' })).toEqual({ status: 'duplicate', channel: '#alerts', ts: first.ts })
    expect(accepted()).toHaveLength(1)
    // The lookup asked for this channel's history by ID, with metadata, since the dead replica's first claim.
    expect(slack().callsOf('conversations.history')[0]?.args).toMatchObject({ channel: 'C0ALERTS', include_all_metadata: 'true' })
    // The mark is written now: a third start acks it from the table, without looking again.
    skew += LEASE_MS
    expect(await replica(state).deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'duplicate', ts: first.ts })
    expect(slack().callsOf('conversations.history')).toHaveLength(1)
  })

  it('posts once when the dead replica died before its post reached Slack', async () => {
    const state = await table()
    const alert = withKey(base, 2)
    await replica(state).deliver(withKey(base, 99), { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    await state.claim(`claim#${deliveryKey(alert, '#alerts')}`, 'dead-owner', LEASE_MS, now())
    skew = LEASE_MS + 1
    expect(await replica(state).deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(accepted()).toHaveLength(2)
    expect(slack().callsOf('conversations.history')).toHaveLength(1)
  })

  it('answers a burst of takeovers in one channel with one history scan, 15 messages a page', async () => {
    // Slack limits conversations.history to 15 messages a page for non-Marketplace apps since 2025
    // (https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps/).
    slack().setHistoryPageMax(15)
    const state = await table()
    const alerts = Array.from({ length: 40 }, (_, n) => withKey(base, 100 + n))
    const dead = replica(killedBeforeMark(state))
    // The dead replica had posted the first 30 (marks lost) and claimed the last 10 when it died.
    for (const alert of alerts.slice(0, 30)) await dead.deliver(alert, { channel: '#alerts' })
    for (const alert of alerts.slice(30)) await state.claim(`claim#${deliveryKey(alert, '#alerts')}`, 'dead-owner', LEASE_MS, now())
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 1
    const next = replica(state)
    const outcomes = await Promise.all(alerts.map((alert) => next.deliver(alert, { channel: '#alerts' })))
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(30)
    expect(outcomes.filter((o) => o.status === 'posted')).toHaveLength(10)
    expect(accepted()).toHaveLength(40)
    // One scan of 30 messages: two pages of 15 and a last empty-cursor page at most, not one scan per alert.
    expect(slack().callsOf('conversations.history').length).toBeLessThanOrEqual(3)
  })

  it('looks in the dedup thread for a reply the dead replica posted', async () => {
    const state = await table()
    const dedup = { key: 'svc-a', windowMs: 600_000 }
    const [parent, reply] = [withKey({ ...base, dedup }, 200), withKey({ ...base, dedup }, 201)]
    await replica(state).deliver(parent, { channel: '#alerts' })
    const dead = replica(killedBeforeMark(state))
    expect(await dead.deliver(reply, { channel: '#alerts' })).toMatchObject({ status: 'threaded' })
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 1
    expect(await replica(state).deliver(reply, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    expect(accepted()).toHaveLength(2)
    expect(slack().callsOf('conversations.replies')).toHaveLength(1)
  })

  it('adopts a dedup parent the dead replica posted but never recorded: the group keeps one thread', async () => {
    const state = await table()
    const dedup = { key: 'svc-b', windowMs: 600_000 }
    const [first, second] = [withKey({ ...base, dedup }, 250), withKey({ ...base, dedup }, 251)]
    const parent = await replica(killedBeforeMark(state)).deliver(first, { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 61_000
    const next = replica(state)
    expect(await next.deliver(first, { channel: '#alerts' })).toMatchObject({ status: 'duplicate', ts: parent.ts })
    // Another replica (no memory of it) replies under that parent: the thread was recorded in the table.
    expect(await replica(state).deliver(second, { channel: '#alerts' })).toMatchObject({ status: 'threaded' })
    const top = slack().messages.filter((m) => m.threadTs === undefined)
    expect(top).toHaveLength(1)
    expect(slack().messages.find((m) => m.threadTs !== undefined)?.threadTs).toBe(parent.ts)
  })

  it('counts only its own bot\'s messages: another app\'s message carrying the key suppresses nothing', async () => {
    const state = await table()
    const alert = withKey(base, 350)
    await replica(state).deliver(withKey(base, 351), { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    await state.claim(`claim#${deliveryKey(alert, '#alerts')}`, 'dead-owner', LEASE_MS, now())
    // Another app in the channel posts a message with our metadata and this delivery's key.
    const key = deliveryKey(alert, '#alerts')
    slack().messages.push({ channel: 'C0ALERTS', ts: `${String(Math.floor(Date.now() / 1000))}.999999`, text: 'spoof', blocks: undefined, threadTs: undefined, botId: 'B0OTHERAPP', metadata: { event_type: 'trailwarden_delivery', event_payload: { key } } })
    skew = LEASE_MS + 1
    const next = replica(state)
    await next.verify()
    expect(await next.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(accepted()).toHaveLength(2)
  })

  it('without channels:history it posts (a duplicate is possible) and says why', async () => {
    const state = await table()
    const alert = withKey(base, 300)
    await replica(killedBeforeMark(state)).deliver(alert, { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 1
    slack().script('conversations.history', { kind: 'error', error: 'missing_scope' })
    const problems: string[] = []
    const next = replica(state, { onStateProblem: (what, detail) => problems.push(`${what}: ${detail}`) })
    expect(await next.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    expect(accepted()).toHaveLength(2)
    expect(problems).toEqual([expect.stringMatching(/^unverified: .*missing_scope: add the channels:history and groups:history scopes/)])
  })

  it('when Slack rate-limits the history it keeps the claim and looks again on the retry', async () => {
    const state = await table()
    const alert = withKey(base, 400)
    await replica(killedBeforeMark(state)).deliver(alert, { channel: '#alerts' })
    await channelLearned(state, '#alerts')
    skew = LEASE_MS + 1
    slack().script('conversations.history', { kind: 'rateLimited', retryAfterSeconds: 30 })
    const next = replica(state, { maxRateLimitWaitMs: 0 })
    await expect(next.deliver(alert, { channel: '#alerts' })).rejects.toMatchObject({ kind: 'retryable', code: 'ratelimited' })
    // Still this replica's claim, still marked as an earlier attempt: the retry looks, finds it, posts nothing.
    expect(await next.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    expect(accepted()).toHaveLength(1)
  })
})
