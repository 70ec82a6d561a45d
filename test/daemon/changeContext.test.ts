import { readdirSync, rmSync } from 'node:fs'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEcsClient } from '../../src/commands/clients.js'
import { createEcsLookup } from '../../src/sources/ecs/createEcsLookup.js'
import { copyRules, counterValue, startHarness, until } from '../support/daemonHarness.js'
import { type EcsDouble, startEcsDouble } from '../support/ecsDouble.js'
import { fixtureJson } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
let slack: SlackDouble
let ecs: EcsDouble
beforeAll(async () => {
  slack = await startSlackDouble()
  ecs = await startEcsDouble()
})
afterAll(async () => {
  await slack.close()
  await ecs.close()
})
beforeEach(() => {
  slack.reset()
  ecs.delay(0)
})

const F = 'rules/ecs/fixtures/'
const record = (name: string) => fixtureJson(`${F}${name}.json`)
/** As EventBridge delivers a CloudTrail record to the queue. */
const envelope = (detail: Record<string, unknown>) => JSON.stringify({
  'version': '0', 'id': `env-${String(detail.eventID)}`, 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs',
  'account': '111122223333', 'region': 'eu-west-1', 'time': detail.eventTime, 'resources': [], detail,
})
const lookup = (timeoutMs = 1_500) =>
  createEcsLookup({ client: createEcsClient('eu-west-1', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }, ecs.url), timeoutMs })
const posted = (ruleTitle: string) => slack.messages.filter((m) => JSON.stringify(m.blocks).includes(ruleTitle)).map((m) => JSON.stringify(m.blocks))

/** A RegisterTaskDefinition of `family:revision` moving web's image to Docker Hub and adding FEATURE_X (value secret). */
function newRevision(family: string, revision: number, eventId: string): Record<string, unknown> {
  const r = record('BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_image1.42_envFEATURE_X')
  const req = r.requestParameters as { family: string, containerDefinitions: Array<Record<string, unknown>> }
  req.family = family
  req.containerDefinitions[0]!.image = 'docker.io/library/web:1.42.0'
  r.responseElements = { taskDefinition: { taskDefinitionArn: `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:${revision}`, family, revision, status: 'ACTIVE', networkMode: 'awsvpc' } }
  r.eventID = eventId
  return r
}
/** The previous revision as DescribeTaskDefinition returns it. */
const previousRevision = (family: string, revision: number) =>
  ({ ...(record('BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web43_image1.41').requestParameters as Record<string, unknown>), family, revision })

describe('the change context through fauxqs → the daemon → the Slack double', () => {
  it('two UpdateService events of one service: the second alert says desiredCount 3 → 0', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('change-two-updates')
    const h = await startHarness(sqs(), slack, queueUrl, { changeContext: { ecs: lookup() } })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(record('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod')) }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the first ack')
    // The first event found no snapshot and asked ECS (which knows no deployment of it: the count was unknown).
    const callsAfterFirst = ecs.calls.length
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(record('BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod')) }))
    await until(() => posted('Production service scaled to zero tasks').length === 1, 15_000, 'the scale-to-zero alert')
    expect(posted('Production service scaled to zero tasks')[0]).toContain('*Changed*\\n• `desiredCount 3 → 0`')
    // The new rule on the derived field fires too: 3 → 0 is a cut by more than half.
    await until(() => posted('desired count cut by more than half').length === 1, 15_000, 'the halved alert')
    // The second took the service's state from the first event's snapshot: no ECS call.
    expect(ecs.calls.length).toBe(callsAfterFirst)
    await h.daemon.stop(2_000)
  }, 60_000)

  it('a RegisterTaskDefinition whose previous revision ECS serves: the image change and the env var name, never its value', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('change-register')
    ecs.addTaskDefinition(previousRevision('shop', 43))
    const h = await startHarness(sqs(), slack, queueUrl, { changeContext: { ecs: lookup() } })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(newRevision('shop', 44, '6c2e0000-0000-4000-9000-000000000044')) }))
    await until(() => posted('switches an image to an untrusted registry').length === 1, 15_000, 'the image-changed alert')
    const alert = posted('switches an image to an untrusted registry')[0]!
    expect(alert).toContain('`image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.41.0 → docker.io/library/web:1.42.0`')
    expect(alert).toContain('`+ env FEATURE_X`')
    expect(JSON.stringify(slack.messages)).not.toContain('fx-value-never-shown')
    expect(ecs.calls.find((c) => c.operation === 'DescribeTaskDefinition')?.body).toEqual({ taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/shop:43' })
    expect(await counterValue(h.metrics, 'trailwarden_change_lookups_total', { outcome: 'found' })).toBe(1)
    await h.daemon.stop(2_000)
  }, 60_000)

  it.each([
    ['ECS throttles', 'cart', () => { ecs.fail('DescribeTaskDefinition', 2, 'ThrottlingException') }, 1_500, 'previous state unavailable: ThrottlingException (HTTP 400)', 'ThrottlingException'],
    ['ECS answers too slowly', 'basket', () => { ecs.delay(5_000) }, 300, 'previous state unavailable: timed out after 300 ms', 'timeout'],
  ])('fail open — %s: the alert goes, saying why the previous state is missing, and it is counted', async (_, family, arrange, timeoutMs, line, label) => {
    const { queueUrl } = await sqs().createQueueWithDlq(`change-fail-${family}`)
    ecs.addTaskDefinition(previousRevision(family, 43))
    arrange()
    const h = await startHarness(sqs(), slack, queueUrl, { changeContext: { ecs: lookup(timeoutMs) } })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(newRevision(family, 44, `6c2e0000-0000-4000-9000-0000000000${family.length}1`)) }))
    // The rule on the change cannot fire (the previous image is unknown); the rule on the event alone still alerts.
    await until(() => posted('Task definition pulls an image from an untrusted registry').length === 1, 15_000, 'the alert')
    expect(posted('Task definition pulls an image from an untrusted registry')[0]).toContain(`\`${line}\``)
    expect(posted('switches an image to an untrusted registry')).toHaveLength(0)
    expect(await counterValue(h.metrics, 'trailwarden_change_previous_unavailable_total', { reason: label })).toBe(1)
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 10_000, 'the ack')
    ecs.delay(0)
    await h.daemon.stop(2_000)
  }, 60_000)

  it('no ECS call for an event no rule could alert on', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('change-no-rule')
    const before = ecs.calls.length
    const { rulesDir, configPath } = copyRules()
    // Only rules on other calls remain: nothing can alert on RegisterTaskDefinition.
    for (const f of readdirSync(`${rulesDir}/ecs`)) if (f.endsWith('.yaml') && f !== 'lists.yaml' && f !== 'ecs-cluster-deleted.yaml') rmSync(`${rulesDir}/ecs/${f}`)
    const h = await startHarness(sqs(), slack, queueUrl, { rulesDir, configPath, changeContext: { ecs: lookup() } })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: envelope(newRevision('quiet', 44, '6c2e0000-0000-4000-9000-000000000099')) }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1, 15_000, 'the ack')
    expect(ecs.calls.length).toBe(before)
    await h.daemon.stop(2_000)
  }, 60_000)
})
