import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { counterValue, startHarness, until } from '../support/daemonHarness.js'
import { fixtureText } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

/**
 * Time is scaled by 30: the harness's first retry comes after 1 s instead of the production 30 s, so a 10 s outage
 * here walks the same receive schedule (1, 2, 4, 8 s … against 30, 60, 120, 240 s) as a 5-minute outage in production.
 */
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 10) * 1000

const sqs = useSqsEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())

const exec = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
async function send(queueUrl: string, n: number, prefix: string) {
  for (let i = 0; i < n; i += 10)
    await sqs().client().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: JSON.stringify({ ...exec, eventID: `${prefix}-${i + j}` }) })) }))
}
const depth = async (url: string) => {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}
const distinct = (prefix: string) => new Set(slack.messages.map((m) => new RegExp(`${prefix}-\\d+`).exec(JSON.stringify(m.blocks))?.[0]).filter(Boolean)).size

describe('Slack failing for a long while', () => {
  it(`503s and timeouts for ${OUTAGE_MS / 1000} s (≙ 5 minutes in production), then recovery: nothing lost, nothing in the DLQ`, async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('outage', { visibilityTimeoutSeconds: 2, maxReceiveCount: 5 })
    slack.reset()
    const end = Date.now() + OUTAGE_MS
    let n = 0
    slack.setResponder(() => (Date.now() < end ? (n++ % 2 === 0 ? { kind: 'http', status: 503 } : { kind: 'hang' }) : undefined))
    const h = await startHarness(sqs(), slack, queueUrl, { sinkOptions: { channelIntervalMs: 1 } })
    try {
      await send(queueUrl, 20, 'outage')
      await until(async () => (await depth(queueUrl)) === 0, OUTAGE_MS + 40_000, 'the queue to drain')
      expect(distinct('outage')).toBe(20)
      expect(await depth(dlqUrl)).toBe(0)
      expect(await counterValue(h.metrics, 'trailwarden_messages_failed_total')).toBeGreaterThan(0)
    } finally {
      await h.daemon.stop(1_000)
    }
  }, 120_000)

  it('429 storms with Retry-After: honoured, nothing lost', async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('ratelimit', { visibilityTimeoutSeconds: 2, maxReceiveCount: 5 })
    slack.reset()
    let calls = 0
    slack.setResponder(({ method }) => (method === 'chat.postMessage' && calls++ % 3 !== 2 ? { kind: 'rateLimited', retryAfterSeconds: 1 } : undefined))
    const h = await startHarness(sqs(), slack, queueUrl, { sinkOptions: { channelIntervalMs: 1 } })
    try {
      await send(queueUrl, 10, 'limited')
      await until(async () => (await depth(queueUrl)) === 0, 60_000, 'the queue to drain')
      expect(distinct('limited')).toBe(10)
      expect(await depth(dlqUrl)).toBe(0)
      // Every 429 was waited out: no post came sooner than Retry-After after a 429 on the channel.
      const posts = slack.callsOf('chat.postMessage')
      for (let i = 1; i < posts.length; i++) if (posts[i - 1]!.reply === 'rateLimited') expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(950)
    } finally {
      await h.daemon.stop(1_000)
    }
  }, 90_000)
})
