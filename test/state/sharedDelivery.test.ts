import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { findingOf, withFindings } from '../../src/core/alerts/findings.js'
import { DeliveryError } from '../../src/sinks/deliveryError.js'
import { DeliveryMemory } from '../../src/sinks/slack/deliveryMemory.js'
import { memoryKey } from '../../src/sinks/slack/memoryKey.js'
import { createSlackSink, type SlackSinkOptions } from '../../src/sinks/slack/createSlackSink.js'
import { DynamoStateStore } from '../../src/state/dynamoStateStore.js'
import { alertFor } from '../support/alerts.js'
import { until } from '../support/daemonHarness.js'
import { useDynamoEmulator } from '../support/dynamoEmulator.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'

const dynamo = useDynamoEmulator()
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

const client = () => new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
/** One replica (or one start of a process): its own owner id, the shared table. */
const replica = (state: DynamoStateStore, options: Partial<SlackSinkOptions> = {}) =>
  createSlackSink({ client: client(), channelIntervalMs: 1, breakerMs: 1, stormThreshold: 1_000_000, state, ...options })
const withKey = (alert: Alert, n: number): Alert => ({ ...alert, eventKey: `111122223333:shared-${n}`, eventId: `shared-${n}` })

describe('delivery claims shared through DynamoDB (dynalite)', () => {
  it('two replicas given the same alert at once post it once; the other acks it as a duplicate', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    const [a, b] = [replica(state), replica(state)]
    const alerts = Array.from({ length: 20 }, (_, n) => withKey(base, n))
    const outcomes = await Promise.allSettled(alerts.flatMap((alert) => [a.deliver(alert, { channel: '#alerts' }), b.deliver(alert, { channel: '#alerts' })]))
    // A loser either found it delivered (duplicate) or found the winner's live lease (retried later: not Slack's failure).
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ kind: 'retryable', code: 'claimed_elsewhere' })
    }
    const retried = await Promise.all(alerts.map((alert) => b.deliver(alert, { channel: '#alerts' })))
    expect(retried.every((o) => o.status === 'duplicate' || o.status === 'posted')).toBe(true)
    expect(slack.callsOf('chat.postMessage')).toHaveLength(20)
    await Promise.all([a.close(), b.close()])
  })

  it('a restart between one channel\'s acceptance and another\'s failure posts nothing twice', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    const alert = withKey(base, 100)
    slack.setResponder(({ method, args }) => (method === 'chat.postMessage' && args.channel === '#security' ? { kind: 'http', status: 503 } : undefined))
    const first = replica(state)
    expect(await first.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    await expect(first.deliver(alert, { channel: '#security' })).rejects.toMatchObject({ kind: 'retryable', code: 'http_503' })
    await first.close()
    // The process dies; SQS redelivers the message to the next start (a new owner, no memory but the table).
    slack.setResponder(undefined)
    const second = replica(state)
    expect(await second.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'duplicate', channel: '#alerts' })
    expect(await second.deliver(alert, { channel: '#security' })).toMatchObject({ status: 'posted', channel: '#security' })
    const posts = slack.callsOf('chat.postMessage').filter((c) => c.reply === 'ok').map((c) => c.args.channel)
    expect(posts.sort()).toEqual(['#alerts', '#security'])
    await second.close()
  })

  it('a dead owner\'s claim is taken over once its lease ends, and the message waits exactly that long', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    const alert = withKey(base, 200)
    let clock = 1_000_000
    const now = () => clock
    // A process claims, then dies before posting (nothing released).
    await state.claim(`claim#${keyOf(alert)}`, 'dead-owner', 30_000, clock)
    const next = replica(state, { now, claimLeaseMs: 30_000 })
    const err = await next.deliver(alert, { channel: '#alerts' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
    expect(err).toMatchObject({ kind: 'retryable', code: 'claimed_elsewhere', retryAt: 1_030_000 })
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0)
    clock += 30_000
    expect(await next.deliver(alert, { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    await next.close()
  })
})

/** The sink's delivery key, computed by the one function that computes it. */
function keyOf(alert: Alert): string {
  return new DeliveryMemory({ ttlMs: 1, maxEntries: 1, maxBytes: 1 }).key(alert, '#alerts')
}

describe('dedup threads shared through DynamoDB (dynalite)', () => {
  it('two replicas keep one thread per dedup group: one parent, the rest replies, one live count', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    const denied = await alertFor('rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json', 'ecs-access-denied')
    if (!denied.dedup) throw new Error('ecs-access-denied deduplicates by actor.arn')
    const [a, b] = [replica(state), replica(state)]
    const nth = (n: number): Alert => ({ ...denied, eventKey: `444455556666:denied-shared-${n}`, eventId: `denied-shared-${n}` })
    // The group's first two alerts reach both replicas at once: one posts the parent; the other replies, or finds
    // the parent being posted and is retried (not Slack's failure).
    const first = await Promise.allSettled([a.deliver(nth(0), { channel: '#security' }), b.deliver(nth(1), { channel: '#security' })])
    for (const [i, o] of first.entries()) {
      if (o.status === 'fulfilled') continue
      expect(o.reason).toMatchObject({ kind: 'retryable', code: 'thread_parent_pending' })
      await until(async () => (await (i === 0 ? a : b).deliver(nth(i), { channel: '#security' }).then(() => true, () => false)), 10_000, 'the retry')
    }
    // The rest, the replicas taking turns.
    for (let n = 2; n < 7; n++) expect(await (n % 2 === 0 ? a : b).deliver(nth(n), { channel: '#security' })).toMatchObject({ status: 'threaded' })
    const top = slack.messages.filter((m) => m.threadTs === undefined)
    expect(top).toHaveLength(1)
    expect(slack.messages.filter((m) => m.threadTs === top[0]!.ts)).toHaveLength(6)
    // The parent's live count is the shared counter, whichever replica updated it last.
    expect(JSON.stringify(top[0]!.blocks)).toContain('*6 more like this*')
    await Promise.all([a.close(), b.close()])
  })

  it('a grouped message\'s dedup threads are shared too: the other replica\'s next match replies under it', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    const denied = await alertFor('rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json', 'ecs-access-denied')
    const other = await alertFor('rules/ecs/fixtures/BUILT__ecs__PutAccountSetting__IAMUser_cli_longTermKey.json', 'ecs-account-setting-changed')
    // One event matched by ecs-access-denied (dedup by actor) and one more rule: one grouped message.
    const nth = (n: number): Alert => withFindings({ ...denied, eventKey: `444455556666:grouped-${n}`, eventId: `grouped-${n}` }, [findingOf(denied), findingOf(other)])
    const [a, b] = [replica(state), replica(state)]
    expect(await a.deliver(nth(0), { channel: '#security' })).toMatchObject({ status: 'posted' })
    // b has never seen the group: the access-denied finding replies in a's thread, the other finding is a new message.
    await b.deliver(nth(1), { channel: '#security' })
    const parent = slack.messages[0]!
    const replies = slack.messages.filter((m) => m.threadTs === parent.ts)
    expect(replies).toHaveLength(1)
    expect(slack.messages.filter((m) => m.threadTs === undefined)).toHaveLength(2)
    await Promise.all([a.close(), b.close()])
  })
})

describe('storm digests shared through DynamoDB (dynalite)', () => {
  it('two replicas in a storm send one top-level digest per interval; the other\'s digest is a reply in its thread', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    // One fixed instant: every flush of both replicas falls in the same digest interval.
    const now = () => 1_800_000_000_000
    const storming = { stormThreshold: 2, digestIntervalMs: 300, now }
    const [a, b] = [replica(state, storming), replica(state, storming)]
    a.configure({ stormThreshold: 2, perChannelPerSecond: 1000 })
    b.configure({ stormThreshold: 2, perChannelPerSecond: 1000 })
    const deliver = async (sink: typeof a, n: number) => {
      for (;;) {
        try {
          return await sink.deliver(withKey(base, 1_000 + n), { channel: '#alerts' })
        } catch (err) {
          // The other replica is posting this interval's digest right now: retried, as SQS would.
          expect(err).toMatchObject({ kind: 'retryable', code: 'digest_pending' })
        }
      }
    }
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, n) => deliver(n % 2 === 0 ? a : b, n)))
    const digested = outcomes.filter((o) => o.status === 'digested').length
    expect(digested).toBeGreaterThan(0)
    const storms = slack.messages.filter((m) => m.text.startsWith('Alert storm'))
    const top = storms.filter((m) => m.threadTs === undefined)
    expect(top).toHaveLength(1)
    expect(storms.filter((m) => m.threadTs !== undefined).every((m) => m.threadTs === top[0]!.ts)).toBe(true)
    await Promise.all([a.close(), b.close()])
  })

  it('counts a channel\'s arrivals across replicas: two replicas sharing its load switch to digests together', async () => {
    const state = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    // Mid-minute and still: the shared count is per wall-clock minute, which a real clock could cross mid-test.
    const at = 1_800_000_030_000
    const storming = { stormThreshold: 10, digestIntervalMs: 200, stormSyncMs: 20, now: () => at }
    const [a, b] = [replica(state, storming), replica(state, storming)]
    for (const sink of [a, b]) sink.configure({ stormThreshold: 10, perChannelPerSecond: 1000 })
    // a takes 8 alerts, b 2: each under the threshold alone, all posted; each adds its count to the table.
    const counter = `storm#${memoryKey('#alerts', String(Math.floor(at / 60_000)))}`
    const counted = (n: number, what: string) => until(async () => (await state.increment(counter, 0, at + 120_000, at)) === n, 5_000, what)
    for (let n = 0; n < 8; n++) expect(await a.deliver(withKey(base, 2_000 + n), { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    await counted(8, 'a\'s arrivals in the table')
    for (let n = 0; n < 2; n++) expect(await b.deliver(withKey(base, 2_100 + n), { channel: '#alerts' })).toMatchObject({ status: 'posted' })
    await counted(10, 'b\'s arrivals in the table')
    // b's third alert: 3 of its own (under the threshold alone) and a's 8 make 11: it joins a digest.
    expect(await b.deliver(withKey(base, 2_200), { channel: '#alerts' })).toMatchObject({ status: 'digested' })
    await Promise.all([a.close(), b.close()])
  })
})
