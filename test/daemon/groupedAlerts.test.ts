import { readFileSync, writeFileSync } from 'node:fs'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fixtureText } from '../support/fixtures.js'
import { copyRules, counterValue, startHarness, until } from '../support/daemonHarness.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

/** An EventBridge envelope of a rule-pack fixture, as the queue receives it. */
const envelope = (name: string) => JSON.stringify({
  'version': '0', 'id': name, 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs', 'account': '111122223333', 'region': 'eu-west-1',
  'time': '2026-11-02T10:03:07Z', 'resources': [], 'detail': JSON.parse(fixtureText(`rules/ecs/fixtures/${name}`)) as unknown,
})
const headerOf = (blocks: unknown[] | undefined) => (blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text ?? ''

describe('trailwarden run: one message per API call per channel, mentions that page', () => {
  it('the demo\'s RegisterTaskDefinition (eight rules): one chat.postMessage, not eight; a redelivery posts nothing more', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('grouped-eight')
    const h = await startHarness(sqs(), slack, queueUrl)
    const body = envelope('BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json')
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the ack')
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
    expect(slack.messages.map((m) => m.channel)).toEqual(['C0ALERTS'])
    expect(headerOf(slack.messages[0]?.blocks)).toMatch(/HIGH · .+ \(\+7 more\)$/)
    // Every rule still counts its own match.
    expect(await counterValue(h.metrics, 'trailwarden_rule_matches_total', { mode: 'alert' })).toBe(8)
    // The same message again (SQS at-least-once): nothing new in Slack.
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 2, 15_000, 'the second ack')
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
    await h.daemon.stop(2_000)
  }, 40_000)

  it('DeleteCluster by root: one message per channel; the critical one pages @security-oncall as its user group', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('grouped-channels')
    const h = await startHarness(sqs(), slack, queueUrl)
    expect(slack.callsOf('usergroups.list')).toHaveLength(1)
    expect(h.daemon.readiness().warnings).toEqual([])
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope('BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json') }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the ack')
    expect(slack.messages.map((m) => m.channel).sort()).toEqual(['C0ALERTS', 'C0SECURE'])
    expect(slack.messages.find((m) => m.channel === 'C0SECURE')?.text).toMatch(/^<!subteam\^S0SECONCALL> /)
    await h.daemon.stop(2_000)
  }, 40_000)

  it('an unknown handle: a readiness warning, the alert still posts with the handle inert; a reload naming a real group clears it', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('grouped-unknown-mention')
    const { rulesDir, configPath } = copyRules()
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('mention: "@security-oncall"', 'mention: "@secruity-oncall"'))
    const h = await startHarness(sqs(), slack, queueUrl, { rulesDir, configPath })
    await until(() => h.ready(), 10_000, 'ready')
    expect(h.daemon.readiness().warnings).toEqual(['mention not a Slack user group, shown as text and paging nobody: @secruity-oncall'])
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope('BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json') }))
    await until(() => slack.messages.some((m) => m.channel === 'C0SECURE'), 15_000, 'the critical alert')
    expect(slack.messages.find((m) => m.channel === 'C0SECURE')?.text).toMatch(/^@secruity-oncall /)
    // The typo fixed; the reload resolves again.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"@secruity-oncall"', '"@security-oncall"'))
    expect(await h.daemon.reload('test')).toBe(true)
    await until(() => h.daemon.readiness().warnings.length === 0, 10_000, 'the warning cleared')
    // The start's answer (under 10 s old) knew @security-oncall already, so the reload resolved it without a new call;
    // a handle that answer lacks is asked again (test/sinks/slack/userGroupResolver.test.ts).
    expect(slack.callsOf('usergroups.list')).toHaveLength(1)
    await h.daemon.stop(2_000)
  }, 40_000)

  it('usergroups.list failing at start (missing_scope) is a warning, not a refusal to start', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('grouped-missing-scope')
    slack.script('usergroups.list', { kind: 'error', error: 'missing_scope' })
    const h = await startHarness(sqs(), slack, queueUrl)
    await until(() => h.ready(), 10_000, 'ready')
    expect(h.daemon.readiness().warnings.join('\n')).toMatch(/usergroups\.list failed \(missing_scope/)
    await h.daemon.stop(2_000)
  }, 40_000)
})
