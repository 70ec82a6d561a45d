import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { findingOf, findingsOf, withFindings } from '../../../src/core/alerts/findings.js'
import { groupAlerts } from '../../../src/core/decide/groupAlerts.js'
import { createSlackSink, type SlackSinkOptions } from '../../../src/sinks/slack/createSlackSink.js'
import { deliveryKey } from '../../../src/sinks/slack/deliveryKey.js'
import { memoryKey } from '../../../src/sinks/slack/memoryKey.js'
import { alertFor, alertsFor } from '../../support/alerts.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

const EIGHT = 'rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json'
const DENIED = 'rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json'

let slack: SlackDouble
let eight: Alert
let denied: Alert
let other: Alert
beforeAll(async () => {
  slack = await startSlackDouble()
  // groupAlerts groups by the event object: one shared object stands for "the same event".
  const event = {} as never
  const [g] = groupAlerts((await alertsFor(EIGHT)).map((alert) => ({ alert, targets: [{ channel: '#alerts' }], event })))
  if (!g?.alert.also) throw new Error('eight findings expected')
  eight = g.alert
  denied = await alertFor(DENIED, 'ecs-access-denied')
  if (!denied.dedup) throw new Error('ecs-access-denied deduplicates by actor.arn')
  other = await alertFor('rules/ecs/fixtures/BUILT__ecs__PutAccountSetting__IAMUser_cli_longTermKey.json', 'ecs-account-setting-changed')
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

const client = () => new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
const sink = (options: Partial<SlackSinkOptions> = {}) => createSlackSink({ client: client(), channelIntervalMs: 5, breakerMs: 0, ...options })
/** The denied event n, matched by ecs-access-denied (dedup by actor) and, for the test, by one more rule. */
const deniedEvent = (n: number, group = true): Alert => {
  const a = { ...denied, eventKey: `444455556666:denied-${n}`, eventId: `denied-${n}` }
  return group ? withFindings(a, [findingOf(denied), findingOf(other)]) : a
}

describe('a grouped alert through the Slack sink', () => {
  it('eight findings of one API call: one chat.postMessage, counted once; a redelivery posts nothing', async () => {
    const counted: string[] = []
    const s = sink({ metrics: { delivered: (channel, status) => counted.push(`${channel} ${status}`) } })
    expect(await s.deliver(eight, { channel: '#alerts' })).toMatchObject({ status: 'posted', channel: '#alerts' })
    expect(await s.deliver(eight, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    // The same findings in another order are the same delivery.
    const reordered = withFindings(eight, [...findingsOf(eight)].reverse())
    expect(await s.deliver(reordered, { channel: '#alerts' })).toMatchObject({ status: 'duplicate' })
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
    expect(counted).toEqual(['#alerts posted'])
    await s.close()
  })

  it('a finding whose dedup thread is live replies there; the others are one new message', async () => {
    const s = sink()
    await s.deliver(deniedEvent(1, false), { channel: '#security' })
    const parent = slack.messages[0]
    const outcome = await s.deliver(deniedEvent(2), { channel: '#security' })
    expect(outcome.status).toBe('posted')
    const [, reply, fresh] = slack.messages
    expect(reply?.threadTs).toBe(parent?.ts)
    expect(fresh?.threadTs).toBeUndefined()
    expect(JSON.stringify(fresh?.blocks)).toContain(other.title)
    expect(JSON.stringify(fresh?.blocks)).not.toContain(denied.title)
    // The parent's live count went up by the reply.
    expect(JSON.stringify(slack.messages[0]?.blocks)).toContain('1 more like this')
    expect(await s.deliver(deniedEvent(2), { channel: '#security' })).toMatchObject({ status: 'duplicate' })
    expect(slack.callsOf('chat.postMessage')).toHaveLength(3)
    await s.close()
  })

  it('a grouped message starts the dedup thread of its findings: the next match replies under it', async () => {
    const s = sink()
    await s.deliver(deniedEvent(1), { channel: '#security' })
    expect(slack.messages).toHaveLength(1)
    expect(await s.deliver(deniedEvent(2, false), { channel: '#security' })).toMatchObject({ status: 'threaded' })
    expect(slack.messages[1]?.threadTs).toBe(slack.messages[0]?.ts)
    await s.close()
  })

  it('one part fails: the redelivery posts only what is missing', async () => {
    const s = sink()
    await s.deliver(deniedEvent(1, false), { channel: '#security' })
    slack.script('chat.postMessage', { kind: 'ok' }, { kind: 'http', status: 503 })
    await expect(s.deliver(deniedEvent(2), { channel: '#security' })).rejects.toMatchObject({ kind: 'retryable' })
    const before = slack.messages.length
    await s.deliver(deniedEvent(2), { channel: '#security' })
    const added = slack.messages.slice(before)
    expect(added).toHaveLength(1)
    expect(added[0]?.threadTs).toBeUndefined()
    expect(JSON.stringify(added[0]?.blocks)).toContain(other.title)
    await s.close()
  })
})

describe('deliveryKey: the one idempotency key', () => {
  it('one rule: what the key was before grouping', () => {
    expect(deliveryKey(denied, '#security')).toBe(memoryKey(denied.eventKey, denied.recordDigest, denied.ruleId, '#security'))
  })
  it('the set of rule ids: order does not matter, membership does; event, record and channel do', () => {
    const ab = deliveryKey(eight, '#alerts')
    expect(deliveryKey(withFindings(eight, [...findingsOf(eight)].reverse()), '#alerts')).toBe(ab)
    expect(deliveryKey(withFindings(eight, findingsOf(eight).slice(1)), '#alerts')).not.toBe(ab)
    expect(deliveryKey(eight, '#security')).not.toBe(ab)
    expect(deliveryKey({ ...eight, recordDigest: 'ffff' }, '#alerts')).not.toBe(ab)
    expect(deliveryKey({ ...eight, eventKey: 'other' }, '#alerts')).not.toBe(ab)
  })
})
