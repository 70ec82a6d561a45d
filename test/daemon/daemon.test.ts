import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { fixtureText } from '../support/fixtures.js'
import { copyRules, counterValue, startHarness, until } from '../support/daemonHarness.js'
import { useSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
const slack = useSlackDouble()

const example = (name: string) => fixtureText(`rules/ecs/fixtures/${name}`)
const queueDepth = async (queueUrl: string) => {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

describe('trailwarden run: the pipeline against the SQS emulator and the Slack double', () => {
  it('an envelope becomes an alert in the routed channel, then the message is deleted', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('run-happy')
    const h = await startHarness(sqs(), slack(), queueUrl)
    const body = JSON.stringify({ 'version': '0', 'id': 'x', 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs', 'account': '111122223333', 'region': 'eu-west-1', 'time': '2026-11-02T10:03:07Z', 'resources': [], 'detail': JSON.parse(example('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')) as unknown })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 10_000, 'the ack')
    expect(slack().messages.map((m) => m.channel)).toEqual(['C0PRODCH'])
    expect(JSON.stringify(slack().messages[0]?.blocks)).toContain('ECS change made from the AWS console in production')
    await until(async () => (await queueDepth(queueUrl)) === 0, 5_000, 'the delete')
    expect(h.ready()).toBe(true)
    await h.daemon.stop(2_000)
  })

  it('Slack answers 503, then succeeds: exactly one post, and the message is deleted only after it', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('run-503', { visibilityTimeoutSeconds: 1 })
    slack().script('chat.postMessage', { kind: 'http', status: 503 })
    const h = await startHarness(sqs(), slack(), queueUrl)
    // The harness retries after 1 s instead of the production 30 s (retryDelaySeconds), so the redelivery comes quickly.
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: example('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json') }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_failed_total')) >= 1, 10_000, 'the failed attempt')
    expect(await queueDepth(queueUrl)).toBe(1)
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 25_000, 'the ack after redelivery')
    expect(slack().callsOf('chat.postMessage').map((c) => c.reply)).toEqual(['http', 'ok'])
    expect(slack().messages).toHaveLength(1)
    await h.daemon.stop(2_000)
  }, 40_000)

  it('a poison message is logged with its id and reason, never deleted, and reaches the DLQ after maxReceiveCount', async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('run-poison', { maxReceiveCount: 2, visibilityTimeoutSeconds: 1 })
    const h = await startHarness(sqs(), slack(), queueUrl)
    const sent = await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"this is": "not CloudTrail"' }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_unreadable_total')) >= 2, 15_000, 'two receives')
    const dead = await sqs().client().send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 5 }))
    expect(dead.Messages?.[0]?.MessageId).toBe(sent.MessageId)
    const logged = h.logs().filter((l) => l.msg === 'message cannot be read; not deleted')
    expect(logged[0]).toMatchObject({ messageId: sent.MessageId, reasons: [expect.stringMatching(/^not-json: body is not JSON/) as unknown] })
    expect(logged.at(-1)).toMatchObject({ dlq: 'moves to the DLQ on its next receive' })
    expect(await counterValue(h.metrics, 'trailwarden_messages_dead_lettered_total')).toBe(1)
    await h.daemon.stop(2_000)
  }, 30_000)

  it('a reload with a broken rule keeps the last good set and says so', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('run-reload')
    const { rulesDir, configPath } = copyRules()
    const h = await startHarness(sqs(), slack(), queueUrl, { rulesDir, configPath })
    writeFileSync(join(rulesDir, 'ecs', 'ecs-exec-session.yaml'), 'id: ecs-exec-session\ntitle: broken\n')
    expect(await h.daemon.reload()).toBe(false)
    expect(await counterValue(h.metrics, 'trailwarden_rules_last_reload_success')).toBe(0)
    expect(h.logs().some((l) => l.msg === 'reload refused: keeping the last good rule set')).toBe(true)
    expect(h.logs().some((l) => typeof l.msg === 'string' && l.msg.includes('ecs-exec-session.yaml:1:1 ecs-exec-session: \'severity\' is required'))).toBe(true)
    // The old set still alerts.
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: example('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json') }))
    await until(() => slack().messages.length === 1, 10_000, 'the alert from the old set')
    // A fixed rule set is taken.
    writeFileSync(join(rulesDir, 'ecs', 'ecs-exec-session.yaml'), fixtureText('../../rules/ecs/ecs-exec-session.yaml'))
    expect(await h.daemon.reload()).toBe(true)
    expect(await counterValue(h.metrics, 'trailwarden_rules_last_reload_success')).toBe(1)
    await h.daemon.stop(2_000)
  }, 20_000)

  it('a reload whose rule tests fail is refused too', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('run-reload-tests')
    const { rulesDir, configPath } = copyRules()
    const h = await startHarness(sqs(), slack(), queueUrl, { rulesDir, configPath })
    const path = join(rulesDir, 'ecs', 'ecs-cluster-deleted.yaml')
    writeFileSync(path, fixtureText('../../rules/ecs/ecs-cluster-deleted.yaml').replace('eventName: [DeleteCluster]', 'eventName: [DeleteClusters]'))
    expect(await h.daemon.reload()).toBe(false)
    expect(h.logs().some((l) => typeof l.msg === 'string' && l.msg.includes('ecs-cluster-deleted: test "a cluster deleted" failed: expected match, got no-match'))).toBe(true)
    await h.daemon.stop(2_000)
  })

  it('a record sent first with a real event\'s eventID does not suppress the real one: both alert, and one notice names the collision', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('run-collision')
    const h = await startHarness(sqs(), slack(), queueUrl)
    const real = JSON.parse(example('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as { requestParameters: Record<string, unknown> }
    const forged = { ...real, requestParameters: { ...real.requestParameters, command: 'echo forged' } }
    // One at a time, so the forged record is seen first.
    for (const [i, record] of [forged, real, real].entries()) {
      await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(record) }))
      await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === i + 1, 10_000, `message ${i + 1} acknowledged`)
    }
    await until(() => slack().messages.some((m) => m.text.includes('Two different CloudTrail records share one eventID')), 5_000, 'the notice')
    const alerts = slack().messages.filter((m) => !m.text.includes('share one eventID'))
    // The forged record and the real one each alert once; the real one's redelivery is a duplicate.
    expect(alerts.filter((m) => JSON.stringify(m.blocks).includes('echo forged'))).toHaveLength(1)
    expect(alerts).toHaveLength(2)
    expect(slack().messages.filter((m) => m.text.includes('share one eventID'))).toHaveLength(1)
    await h.daemon.stop(2_000)
  })

  it('a queue with a short VisibilityTimeout: messages in work are extended in time, so a slow Slack does not send a delivered message to the DLQ', async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('run-short-visibility', { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 })
    slack().setResponder(() => ({ kind: 'slow', delayMs: 3_500 }))
    // The production heartbeat (no test override): it must follow the queue's 1 s, not its own 15 s default.
    const h = await startHarness(sqs(), slack(), queueUrl, { heartbeatIntervalMs: undefined, slackTimeoutMs: 10_000 })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: example('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json') }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the ack')
    slack().setResponder(undefined)
    await until(async () => (await queueDepth(queueUrl)) === 0, 5_000, 'the delete')
    expect((await sqs().client().send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))).Messages ?? []).toHaveLength(0)
    expect(slack().messages).toHaveLength(1)
    await h.daemon.stop(2_000)
  }, 30_000)
})
