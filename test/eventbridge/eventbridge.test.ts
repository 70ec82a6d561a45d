import { appendFileSync } from 'node:fs'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { createEventBridgeSink } from '../../src/sinks/eventBridgeSink.js'
import { alertFor } from '../support/alerts.js'
import { runCli } from '../support/captureIO.js'
import { copyRules, counterValue, startHarness, until } from '../support/daemonHarness.js'
import { type EventBridgeDouble, startEventBridgeDouble } from '../support/eventBridgeDouble.js'
import { fixtureText } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
let eb: EventBridgeDouble
let slack: SlackDouble
let base: Alert
const saved = { ...process.env }
beforeAll(async () => {
  eb = await startEventBridgeDouble()
  slack = await startSlackDouble()
  base = await alertFor('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', 'ecs-exec-session')
  // The SDK reads its endpoint and credentials from the environment, as it will in production.
  Object.assign(process.env, { AWS_ENDPOINT_URL_EVENTBRIDGE: eb.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' })
})
afterAll(async () => {
  process.env = saved
  await eb.close()
  await slack.close()
})
beforeEach(() => {
  eb.reset()
})

const client = () => new EventBridgeClient({ endpoint: eb.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
const env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml', AWS_REGION: 'us-east-1' }
const needed = async () => JSON.parse((await runCli(['pattern'], env)).stdout) as Record<string, unknown>

describe('trailwarden pattern --check / --apply against the deployed bus rule', () => {
  it('reports every event the rules need that the bus rule filters out, and exits 1', async () => {
    eb.putRule({ Name: 'narrow', EventBusName: 'default', State: 'ENABLED', Description: 'made by hand', EventPattern: JSON.stringify({ 'source': ['aws.ecs'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { eventName: ['UpdateService', 'RunTask'] } }) })
    const { code, stdout } = await runCli(['pattern', '--check', '--rule', 'narrow'], env)
    expect(code).toBe(1)
    expect(stdout).toContain('drift: ExecuteCommand (ecs.amazonaws.com) is needed by ecs-exec-session but the bus rule filters it out at detail.eventName (it allows ["UpdateService","RunTask"])')
    expect(stdout).toContain('drift: every ecs.amazonaws.com call is needed by ecs-access-denied, ecs-console-change-in-prod, ecs-mutation-without-mfa, ecs-root-activity but the bus rule filters it out at detail.eventName')
    expect(stdout).not.toContain('drift: RunTask (')
  })

  it('notices extra filters too (a bus rule that drops read-only or failed calls)', async () => {
    eb.putRule({ Name: 'readonly-filter', EventBusName: 'default', State: 'ENABLED', EventPattern: JSON.stringify({ ...(await needed()), detail: { readOnly: [false] } }) })
    const { stdout } = await runCli(['pattern', '--check', '--rule', 'readonly-filter'], env)
    expect(stdout).toMatch(/filters it out at detail\.readOnly/)
  })

  it('--apply prints the diff and writes exactly the needed pattern, keeping state and description; --dry-run writes nothing', async () => {
    const pattern = { 'source': ['aws.ecs'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { eventName: ['UpdateService'] } }
    eb.putRule({ Name: 'to-fix', EventBusName: 'default', State: 'DISABLED', Description: 'feeds trailwarden', EventPattern: JSON.stringify(pattern) })
    const dry = await runCli(['pattern', '--check', '--rule', 'to-fix', '--apply', '--dry-run'], env)
    expect(dry.stdout).toContain('-     "eventName": [')
    expect(dry.stdout).toContain('+     "eventSource": [')
    expect(eb.calls.filter((c) => c.operation === 'PutRule')).toHaveLength(0)
    const { code } = await runCli(['pattern', '--check', '--rule', 'to-fix', '--apply'], env)
    expect(code).toBe(0)
    const put = eb.calls.filter((c) => c.operation === 'PutRule')
    expect(put).toHaveLength(1)
    expect(JSON.parse(put[0]!.body.EventPattern as string)).toEqual(await needed())
    expect(put[0]!.body).toMatchObject({ Name: 'to-fix', EventBusName: 'default', State: 'DISABLED', Description: 'feeds trailwarden' })
    expect((await runCli(['pattern', '--check', '--rule', 'to-fix'], env)).code).toBe(0)
  })
})

describe('the EventBridge sink', () => {
  it('publishes each alert once as a trailwarden custom event, batched', async () => {
    const sink = createEventBridgeSink({ client: client(), bus: 'alerts' })
    const alerts = Array.from({ length: 23 }, (_, n) => ({ ...base, eventKey: `k${n}` }))
    await Promise.all(alerts.map((a) => sink.deliver(a, { channel: 'eventbridge' })))
    expect(await sink.deliver(alerts[0]!, { channel: 'eventbridge' })).toMatchObject({ status: 'duplicate' })
    expect(eb.events).toHaveLength(23)
    const puts = eb.calls.filter((c) => c.operation === 'PutEvents')
    expect(puts.every((c) => (c.body.Entries as unknown[]).length <= 10)).toBe(true)
    expect(eb.events[0]).toMatchObject({ Source: 'trailwarden', DetailType: 'trailwarden Alert', EventBusName: 'alerts' })
    expect(JSON.parse(eb.events[0]!.Detail as string)).toMatchObject({ ruleId: 'ecs-exec-session', severity: 'high', eventKey: 'k0', actor: { name: 'alice@example.com' } })
    await sink.close()
  })

  it('a forged record with a real event\'s eventID does not suppress the real one; non-ASCII alerts are batched by their UTF-8 bytes', async () => {
    const sink = createEventBridgeSink({ client: client(), bus: 'alerts' })
    eb.reset()
    await sink.deliver({ ...base, eventKey: 'same', recordDigest: 'forged0000000000' }, { channel: 'eventbridge' })
    expect(await sink.deliver({ ...base, eventKey: 'same', recordDigest: 'real000000000000' }, { channel: 'eventbridge' })).toMatchObject({ status: 'posted' })
    expect(eb.events).toHaveLength(2)
    // 8 alerts of 150,000 '€' (450 KB each in UTF-8, 150 K characters): counted in characters they fit one 1 MiB call.
    eb.reset()
    await Promise.all(Array.from({ length: 8 }, (_, n) => sink.deliver({ ...base, eventKey: `euro${n}`, title: '€'.repeat(150_000) }, { channel: 'eventbridge' })))
    const sizes = eb.calls.filter((c) => c.operation === 'PutEvents').map((c) => (c.body.Entries as Array<{ Detail: string }>).reduce((n, e) => n + Buffer.byteLength(e.Detail), 0))
    expect(sizes.length).toBeGreaterThan(1)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024)
    await sink.close()
  })

  it('retries only the entries that failed (FailedEntryCount), never duplicating the ones that succeeded', async () => {
    const sink = createEventBridgeSink({ client: client(), bus: 'alerts' })
    eb.failEntries((entry, call) => call === 0 && (JSON.parse(entry.Detail as string) as { eventKey: string }).eventKey.endsWith('odd'))
    await Promise.all(['a-even', 'b-odd', 'c-even', 'd-odd'].map((k) => sink.deliver({ ...base, eventKey: k }, { channel: 'eventbridge' })))
    const keys = eb.events.map((e) => (JSON.parse(e.Detail as string) as { eventKey: string }).eventKey)
    expect(keys.sort()).toEqual(['a-even', 'b-odd', 'c-even', 'd-odd'])
    const puts = eb.calls.filter((c) => c.operation === 'PutEvents')
    expect(puts.map((c) => (c.body.Entries as unknown[]).length)).toEqual([4, 2])
    await sink.close()
  })

  it('rides out throttling; an entry that keeps failing is a retryable delivery error', async () => {
    const sink = createEventBridgeSink({ client: client(), bus: 'alerts', attempts: 3 })
    eb.throttle('PutEvents', 1)
    expect(await sink.deliver({ ...base, eventKey: 'throttled' }, { channel: 'eventbridge' })).toMatchObject({ status: 'posted' })
    eb.failEntries(() => true)
    expect(await sink.deliver({ ...base, eventKey: 'doomed' }, { channel: 'eventbridge' }).catch((e: unknown) => e)).toMatchObject({ kind: 'retryable', code: 'InternalFailure' })
    await sink.close()
  })

  it('waits before each retry by the shared backoff (one jitter draw a retry), and gives up after `attempts` calls', async () => {
    let draws = 0
    const sink = createEventBridgeSink({ client: client(), bus: 'alerts', attempts: 3, random: () => {
      draws += 1
      return 0
    } })
    eb.failEntries(() => true)
    await sink.deliver({ ...base, eventKey: 'always-failing' }, { channel: 'eventbridge' }).catch(() => undefined)
    expect(eb.calls.filter((c) => c.operation === 'PutEvents')).toHaveLength(3)
    expect(draws).toBe(2)
    await sink.close()
  })
})

describe('the daemon with EventBridge', () => {
  it('acknowledges a message only when Slack and EventBridge both accepted its alerts', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('eb-both', { visibilityTimeoutSeconds: 1 })
    slack.reset()
    eb.failEntries((_e, call) => call < 1)
    const publisher = createEventBridgeSink({ client: client(), bus: 'alerts', attempts: 1 })
    // The config's eventbridge section turns publishing on; the harness's factory hands back the sink built above.
    const { rulesDir, configPath } = copyRules()
    appendFileSync(configPath, '\neventbridge:\n  bus: alerts\n')
    const h = await startHarness(sqs(), slack, queueUrl, { rulesDir, configPath, publisherFor: () => publisher })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json') }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the ack')
    expect(await counterValue(h.metrics, 'trailwarden_messages_failed_total')).toBe(1)
    expect(slack.messages).toHaveLength(1)
    expect(eb.events).toHaveLength(1)
    await h.daemon.stop(1_000)
  }, 20_000)

  it('checks the bus rule at start: drift is a readiness warning, a metric and one Slack alert', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('eb-drift')
    slack.reset()
    eb.putRule({ Name: 'stale', EventBusName: 'default', State: 'ENABLED', EventPattern: JSON.stringify({ source: ['aws.ecs'], detail: { eventName: ['UpdateService'] } }) })
    const h = await startHarness(sqs(), slack, queueUrl, { busRule: { client: client(), bus: 'default', rule: 'stale' } })
    const report = h.daemon.readiness()
    expect(report.warnings.length).toBeGreaterThan(0)
    expect(report.warnings[0]).toMatch(/^bus rule stale: /)
    expect(await counterValue(h.metrics, 'trailwarden_bus_rule_drift')).toBe(report.warnings.length)
    await until(() => slack.messages.length === 1, 5_000, 'the drift alert')
    expect(slack.messages[0]?.text).toContain('The EventBridge rule stale filters out events the rules need')
    await h.daemon.reload()
    await new Promise((r) => setTimeout(r, 300))
    expect(slack.messages).toHaveLength(1)
    await h.daemon.stop(1_000)
  })
})
