import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DynamoStateStore } from '../../src/state/dynamoStateStore.js'
import { readFileSync, writeFileSync } from 'node:fs'
import { counterValue, startHarness, testConfig, until } from '../support/daemonHarness.js'
import { useDynamoEmulator } from '../support/dynamoEmulator.js'
import { fixtureText } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

/** The 30 s under FAULTS_LONG (npm run test:faults); a shorter stop in npm test. */
const OUTAGE_MS = (process.env.FAULTS_LONG ? 30 : 4) * 1000
const MESSAGES = process.env.FAULTS_LONG ? 200 : 40

const sqs = useSqsEmulator()
const dynamo = useDynamoEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())

const exec = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
async function send(queueUrl: string, from: number, n: number) {
  for (let i = from; i < from + n; i += 10)
    await sqs().client().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ ...exec, eventID: `state-outage-${i + j}` }) })) }))
}
const depth = async (url: string) => {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

describe('the DynamoDB state table unreachable under load', () => {
  it(`stopped for ${OUTAGE_MS / 1000} s: nothing lost, nothing doubled, readiness false (naming the table) then true`, async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('state-outage', { visibilityTimeoutSeconds: 2, maxReceiveCount: 20 })
    slack.reset()
    const table = await dynamo().createTable()
    const state = new DynamoStateStore(dynamo().client(), table)
    // Individual alerts are counted here: no digests.
    const configPath = testConfig()
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  perChannelPerSecond: 200\n', '  perChannelPerSecond: 1000\n  stormThreshold: 1000000\n'))
    const h = await startHarness(sqs(), slack, queueUrl, { state, configPath, sinkOptions: { channelIntervalMs: 1, state, blindAfterMs: Infinity } })
    try {
      await send(queueUrl, 0, MESSAGES / 2)
      await until(() => slack.messages.length > 0, 20_000, 'alerts flowing')
      await dynamo().pause()
      await send(queueUrl, MESSAGES / 2, MESSAGES / 2)
      await until(() => !h.ready(), 20_000, 'readiness to turn false')
      const report = h.daemon.readiness()
      expect(JSON.stringify(report)).toContain(`DynamoDB table ${table}`)
      await new Promise((r) => setTimeout(r, OUTAGE_MS))
      await dynamo().resume()
      await until(async () => (await depth(queueUrl)) === 0, 120_000, 'the queue to drain')
      await until(() => h.ready(), 20_000, 'readiness to turn true again')
      const ids = slack.messages.map((m) => /state-outage-\d+/.exec(JSON.stringify(m.blocks))?.[0]).filter((id) => id !== undefined)
      expect(new Set(ids).size).toBe(MESSAGES)
      expect(ids).toHaveLength(MESSAGES)
      expect(await depth(dlqUrl)).toBe(0)
      expect(await counterValue(h.metrics, 'trailwarden_messages_failed_total', { reason: 'delivery_retryable' })).toBeGreaterThan(0)
    } finally {
      await h.daemon.stop(1_000)
    }
  }, 240_000)
})
