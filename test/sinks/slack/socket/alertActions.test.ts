import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { createLogger, createSocketModeClient } from '../../../../src/commands/clients.js'
import { silencesCommandWith } from '../../../../src/commands/silences.js'
import { main } from '../../../../src/commands/main.js'
import { createAlertActions, type AlertActions } from '../../../../src/sinks/slack/socket/createAlertActions.js'
import { DynamoStateStore } from '../../../../src/state/dynamoStateStore.js'
import type { StateStore } from '../../../../src/state/stateStore.js'
import { useDynamoEmulator } from '../../../support/dynamoEmulator.js'
import { copyRules, counterValue, type Harness, startHarness, until } from '../../../support/daemonHarness.js'
import { fixtureText } from '../../../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../../../support/slackDouble.js'
import { blockActionsPayload, silenceSubmissionPayload, type SocketModeDouble, startSocketModeDouble } from '../../../support/socketModeDouble.js'
import { useSqsEmulator } from '../../../support/sqsEmulator.js'
import { PassThrough as Sink } from 'node:stream'
import type { CommandIO } from '../../../../src/commands/io.js'

const APP_TOKEN = 'xapp-1-A0TRAILWRD-1-test'
const RULE = 'ecs-console-change-in-prod'
const sqs = useSqsEmulator()
const dynamo = useDynamoEmulator()
let slack: SlackDouble
let socket: SocketModeDouble
beforeAll(async () => {
  slack = await startSlackDouble()
  socket = await startSocketModeDouble()
  slack.setSocketUrl(socket.url)
  // The on-call group, as usergroups.list include_users answers it (https://docs.slack.dev/reference/methods/usergroups.list).
  slack.handle('usergroups.list', () => ({ ok: true, usergroups: [{ id: 'S0ONCALL01', team_id: 'T0TEAM', handle: 'security-oncall', name: 'Security on-call', users: ['U0BOB'] }] }))
})
afterAll(async () => {
  await socket.close()
  await slack.close()
})

/** The prod console UpdateService fixture on another service, so the silence does not cover the rule's own test event. */
function consoleChange(eventId: string): string {
  const record = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')) as Record<string, unknown>
  record.eventID = eventId
  ;(record.requestParameters as Record<string, unknown>).service = 'checkout'
  return JSON.stringify({ 'version': '0', 'id': eventId, 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs', 'account': '111122223333', 'region': 'eu-west-1', 'time': '2026-11-02T10:03:07Z', 'resources': [], 'detail': record })
}

interface Replica { h: Harness, actions: AlertActions, queueUrl: string, logs: () => Array<Record<string, unknown>> }

async function replica(name: string, store: StateStore, configPath: string, rulesDir: string): Promise<Replica> {
  const { queueUrl } = await sqs().createQueueWithDlq(name)
  const lines: string[] = []
  const stream = new PassThrough()
  stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)))
  const log = createLogger('debug', stream)
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, timeout: 2_000 })
  const actions = createAlertActions({
    socket: createSocketModeClient(APP_TOKEN, log, slack.url, 1_000),
    client,
    store,
    log,
    refreshMs: 100,
    endingsMs: 100,
    reconnect: { baseMs: 50, capMs: 500 },
  })
  const h = await startHarness(sqs(), slack, queueUrl, { actions, sinkOptions: { actions: true }, configPath, rulesDir })
  return { h, actions, queueUrl, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}

const ruleMessages = () => slack.messages.filter((m) => JSON.stringify(m.blocks).includes(RULE) && m.threadTs === undefined)
const elementsOf = (blocks: unknown[] | undefined) =>
  (blocks ?? []).filter((b): b is { type: string, elements: Array<{ action_id: string, value: string }> } => (b as { type?: string }).type === 'actions').flatMap((b) => b.elements)

describe('alert actions over Socket Mode, two replicas sharing one DynamoDB state table (dynalite)', () => {
  let a: Replica
  let b: Replica
  let rulesDir: string
  let configPath: string
  let store: StateStore

  beforeAll(async () => {
    ;({ rulesDir, configPath } = copyRules())
    store = new DynamoStateStore(dynamo().client(), await dynamo().createTable())
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  perChannelPerSecond: 200\n', '  perChannelPerSecond: 200\n  actions:\n    allowed: [U0ALICE, "@security-oncall"]\n'))
    a = await replica('actions-a', store, configPath, rulesDir)
    b = await replica('actions-b', store, configPath, rulesDir)
    await until(() => socket.open() === 2, 10_000, 'both replicas connected')
  }, 30_000)
  afterAll(async () => {
    await a.h.daemon.stop(2_000)
    await b.h.daemon.stop(2_000)
  })

  it('end to end: an alert with buttons, a Silence click, the next matching event suppressed on both replicas, the message updated, the export valid', async () => {
    await sqs().client().send(new SendMessageCommand({ QueueUrl: a.queueUrl, MessageBody: consoleChange('5b1d3c9e-0000-4000-9000-00000000e2e1') }))
    await until(() => ruleMessages().length === 1, 10_000, 'the alert')
    const alert = ruleMessages()[0]!
    const buttons = elementsOf(alert.blocks)
    expect(buttons.map((e) => e.action_id)).toEqual(['tw_ack', 'tw_silence', 'tw_mine'])
    // Values carry a ref only, never event text.
    for (const e of buttons) expect(e.value).toMatch(/^[0-9a-f]{16}$/)
    const ref = buttons[0]!.value

    // Silence…: the modal opens with the alert's scopes.
    const click = socket.sendInteractive(blockActionsPayload({ user: 'U0ALICE', actionId: 'tw_silence', value: ref, channel: alert.channel, ts: alert.ts, blocks: alert.blocks, text: alert.text }))
    await until(() => slack.callsOf('views.open').length === 1, 10_000, 'views.open')
    expect(socket.ackOf(click)).toHaveLength(1)
    const view = JSON.parse(String(slack.callsOf('views.open')[0]!.args.view)) as { private_metadata: string, blocks: unknown[] }
    expect(JSON.stringify(view.blocks)).toContain('prod-web/checkout')
    expect(view.private_metadata.length).toBeLessThan(200)

    // The submission: this service, 4 hours, a reason.
    socket.sendInteractive(silenceSubmissionPayload({ user: 'U0ALICE', privateMetadata: view.private_metadata, scope: 'service', for: '4h', reason: 'canary rollout of checkout, INC-4711' }), { to: 1 })
    await until(() => elementsOf(slack.messages.find((m) => m.ts === alert.ts)?.blocks).some((e) => e.action_id === 'tw_undo'), 10_000, 'the message updated with Undo')
    expect(JSON.stringify(slack.messages.find((m) => m.ts === alert.ts)?.blocks)).toContain('Silenced')
    await until(() => a.actions.silences().length === 1 && b.actions.silences().length === 1, 10_000, 'both replicas read the silence')

    // The next matching event, on each replica: suppressed, counted, acknowledged, not posted.
    await sqs().client().send(new SendMessageCommand({ QueueUrl: a.queueUrl, MessageBody: consoleChange('5b1d3c9e-0000-4000-9000-00000000e2e2') }))
    await sqs().client().send(new SendMessageCommand({ QueueUrl: b.queueUrl, MessageBody: consoleChange('5b1d3c9e-0000-4000-9000-00000000e2e3') }))
    await until(async () => (await counterValue(a.h.metrics, 'trailwarden_messages_acknowledged_total')) === 2, 10_000, 'replica A acknowledged')
    await until(async () => (await counterValue(b.h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 10_000, 'replica B acknowledged')
    expect(await counterValue(a.h.metrics, 'trailwarden_rule_suppressions_total', { rule: RULE })).toBe(1)
    expect(await counterValue(b.h.metrics, 'trailwarden_rule_suppressions_total', { rule: RULE })).toBe(1)
    expect(ruleMessages()).toHaveLength(1)
    expect(b.h.logs().some((l) => l.msg === 'match suppressed by a silence')).toBe(true)
    // Every action logged with the user id.
    expect([...a.logs(), ...b.logs()].filter((l) => l.msg === 'alert action').map((l) => l.user)).toEqual(['U0ALICE', 'U0ALICE'])

    // Silences become code: export → the rules copy → validate exits 0.
    const out = new Sink()
    const chunks: string[] = []
    out.on('data', (c: Buffer) => chunks.push(c.toString()))
    const io: CommandIO = { stdin: new Sink(), stdout: out, stderr: new Sink(), env: {}, cwd: process.cwd() }
    expect(await silencesCommandWith(() => ({ store })).run(['export'], io)).toBe(0)
    const exported = parseDocument(chunks.join('')).toJS() as Record<string, Array<{ reason: string, expires: string, match: unknown }>>
    expect(exported[RULE]![0]).toMatchObject({ reason: expect.stringContaining('by U0ALICE') as unknown, match: { 'ecs.cluster': ['prod-web'], 'ecs.service': ['checkout'] } })
    const file = join(rulesDir, 'ecs', `${RULE}.yaml`)
    const doc = parseDocument(readFileSync(file, 'utf8'))
    for (const e of exported[RULE]!) doc.addIn(['unless'], doc.createNode(e))
    writeFileSync(file, doc.toString())
    const validate = await runMain(['validate', '--rules', rulesDir, '--config', configPath])
    expect(validate.stdout).toContain('0 errors')
    expect(validate.code).toBe(0)
  }, 60_000)

  it('a Silence submission with wrong answers is answered in its ack (the modal shows the errors), and silences nothing', async () => {
    const view = JSON.parse(String(slack.callsOf('views.open')[0]!.args.view)) as { private_metadata: string }
    const id = socket.sendInteractive(silenceSubmissionPayload({ user: 'U0ALICE', privateMetadata: view.private_metadata, scope: 'service', for: 'date', reason: 'x' }))
    await until(() => socket.ackOf(id).length === 1, 10_000, 'the ack')
    expect(socket.ackOf(id)[0]!.payload).toEqual({
      response_action: 'errors',
      errors: { 'tw-until': 'Pick the last day the silence applies.', 'tw-reason': expect.stringContaining('Say why') as unknown },
    })
    // Still only the silence of the first case.
    expect((await a.actions.refresh()).length).toBe(1)
  })

  it('an unauthorised click is refused with an ephemeral message, logged with the user id, and changes nothing', async () => {
    const alert = ruleMessages()[0]!
    const ref = elementsOf(alert.blocks).find((e) => e.action_id === 'tw_ack')!.value
    const updates = slack.callsOf('chat.update').length
    socket.sendInteractive(blockActionsPayload({ user: 'U0MALLORY', actionId: 'tw_ack', value: ref, channel: alert.channel, ts: alert.ts, blocks: alert.blocks }))
    await until(() => slack.callsOf('chat.postEphemeral').some((c) => c.args.user === 'U0MALLORY'), 10_000, 'the refusal')
    expect(String(slack.callsOf('chat.postEphemeral').find((c) => c.args.user === 'U0MALLORY')!.args.text)).toContain('you may not acknowledge this alert')
    expect(slack.callsOf('chat.update')).toHaveLength(updates)
    expect([...a.logs(), ...b.logs()].some((l) => l.msg === 'alert action' && l.user === 'U0MALLORY' && l.allowed === false)).toBe(true)
  })

  it('a member of an allowed user group may act: Acknowledge and That was me show on the message', async () => {
    const alert = slack.messages.find((m) => m.ts === ruleMessages()[0]!.ts)!
    const ref = elementsOf(alert.blocks).find((e) => e.action_id === 'tw_ack')!.value
    socket.sendInteractive(blockActionsPayload({ user: 'U0BOB', actionId: 'tw_ack', value: ref, channel: alert.channel, ts: alert.ts, blocks: alert.blocks }))
    await until(() => JSON.stringify(slack.messages.find((m) => m.ts === alert.ts)?.blocks).includes('Acknowledged by <@U0BOB>'), 10_000, 'the ack shown')
    const now = slack.messages.find((m) => m.ts === alert.ts)!
    socket.sendInteractive(blockActionsPayload({ user: 'U0ALICE', actionId: 'tw_mine', value: ref, channel: now.channel, ts: now.ts, blocks: now.blocks }))
    await until(() => JSON.stringify(slack.messages.find((m) => m.ts === alert.ts)?.blocks).includes('That was me*: <@U0ALICE>'), 10_000, 'the vouch shown')
    const shown = JSON.stringify(slack.messages.find((m) => m.ts === alert.ts)?.blocks)
    // The status replaces, never repeats: one status block, one actions block, the silence still shown.
    expect(shown.match(/"block_id":"tw-status"/g)).toHaveLength(1)
    expect(shown.match(/"block_id":"tw-actions"/g)).toHaveLength(1)
    expect(shown).toContain('Silenced')
  })

  it('an envelope sent twice (to the other replica) is acknowledged twice and acted on once', async () => {
    const alert = slack.messages.find((m) => m.ts === ruleMessages()[0]!.ts)!
    const ref = elementsOf(alert.blocks).find((e) => e.action_id === 'tw_ack')!.value
    const updates = slack.callsOf('chat.update').length
    const id = socket.sendInteractive(blockActionsPayload({ user: 'U0ALICE', actionId: 'tw_ack', value: ref, channel: alert.channel, ts: alert.ts, blocks: alert.blocks }), { to: 1 })
    await until(() => slack.callsOf('chat.update').length === updates + 1, 10_000, 'the first handling')
    socket.resend(id, { to: 0 })
    await until(() => socket.ackOf(id).length === 2, 10_000, 'the second ack')
    await until(() => [...a.logs(), ...b.logs()].some((l) => l.msg === 'Socket Mode envelope received again: already handled' && l.envelopeId === id), 10_000, 'the repeat noticed')
    expect(slack.callsOf('chat.update')).toHaveLength(updates + 1)
  })

  it('Undo ends the silence on both replicas and shows who undid it', async () => {
    const alert = slack.messages.find((m) => m.ts === ruleMessages()[0]!.ts)!
    const undo = elementsOf(alert.blocks).find((e) => e.action_id === 'tw_undo')!
    socket.sendInteractive(blockActionsPayload({ user: 'U0ALICE', actionId: 'tw_undo', value: undo.value, channel: alert.channel, ts: alert.ts, blocks: alert.blocks }))
    await until(() => JSON.stringify(slack.messages.find((m) => m.ts === alert.ts)?.blocks).includes('Silence undone by <@U0ALICE>'), 10_000, 'the undo shown')
    expect(elementsOf(slack.messages.find((m) => m.ts === alert.ts)?.blocks).map((e) => e.action_id)).toEqual(['tw_ack', 'tw_silence', 'tw_mine'])
    await until(() => a.actions.silences().every((s) => s.undone) && b.actions.silences().every((s) => s.undone), 10_000, 'both replicas read the undo')
  })

  it('a dropped socket reconnects (apps.connections.open again), and readiness shows the socket', async () => {
    const accepted = socket.accepted()
    expect(a.h.daemon.readiness().checks.find((c) => c.name === 'slack-socket')).toMatchObject({ ok: true, reason: expect.stringContaining('connected') as unknown })
    socket.drop()
    await until(() => socket.accepted() >= accepted + 2 && socket.open() === 2, 20_000, 'both replicas reconnected')
    await until(() => a.h.daemon.readiness().checks.find((c) => c.name === 'slack-socket')?.reason.startsWith('connected') === true, 10_000, 'readiness connected again')
    expect(a.h.daemon.readiness().warnings.filter((w) => w.includes('Socket Mode'))).toEqual([])
    expect(slack.callsOf('apps.connections.open').length).toBeGreaterThanOrEqual(4)
  }, 30_000)
})

async function runMain(argv: string[]): Promise<{ code: number, stdout: string }> {
  const out = new Sink()
  const chunks: string[] = []
  out.on('data', (c: Buffer) => chunks.push(c.toString()))
  const code = await main(argv, { stdin: new Sink(), stdout: out, stderr: new Sink(), env: {}, cwd: process.cwd() })
  return { code, stdout: chunks.join('') }
}

describe('without SLACK_APP_TOKEN', () => {
  it('alerts are unchanged: no buttons, no socket check', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('actions-none')
    const h = await startHarness(sqs(), slack, queueUrl)
    const before = slack.messages.length
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: consoleChange('5b1d3c9e-0000-4000-9000-00000000e2e9') }))
    await until(() => slack.messages.length > before, 10_000, 'the alert')
    expect(slack.messages.slice(before).every((m) => !JSON.stringify(m.blocks).includes('"type":"actions"'))).toBe(true)
    expect(h.daemon.readiness().checks.map((c) => c.name)).not.toContain('slack-socket')
    await h.daemon.stop(2_000)
  })
})

describe('trailwarden silences without a shared store', () => {
  it('list exits 2 and says why: the daemon\'s in-memory store is its own', async () => {
    const err: string[] = []
    const stderr = new Sink()
    stderr.on('data', (c: Buffer) => err.push(c.toString()))
    const code = await main(['silences', 'list'], { stdin: new Sink(), stdout: new Sink(), stderr, env: {}, cwd: process.cwd() })
    expect(code).toBe(2)
    expect(err.join('')).toContain('set TRAILWARDEN_STATE_TABLE')
  })
})
