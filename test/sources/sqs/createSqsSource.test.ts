import { GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { createSqsSource, type HandlerResult } from '../../../src/sources/sqs/createSqsSource.js'
import { until } from '../../support/daemonHarness.js'
import { fixtureText } from '../../support/fixtures.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { recordLog } from './recordLog.js'
import { recordRequests } from './sdkRecorder.js'

const sqs = useSqsEmulator()
const record = (n: number) => {
  const r = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
  return JSON.stringify({ ...r, eventID: `source-${n}` })
}
const eventId = (m: Message) => (JSON.parse(m.Body ?? '{}') as { eventID?: string }).eventID ?? ''

async function queueDepth(queueUrl: string): Promise<number> {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

async function queueWith(name: string, count: number, visibilityTimeoutSeconds = 30): Promise<string> {
  const { queueUrl } = await sqs().createQueueWithDlq(name, { visibilityTimeoutSeconds })
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i)
    await sqs().client().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: record(i + k) })) }))
  }
  return queueUrl
}

describe('createSqsSource: the three jobs composed', () => {
  it('turns each decision into a delete or a visibility change: ack, retry, poison, a handler that throws', async () => {
    const queueUrl = await queueWith('source-decisions', 4)
    const client = sqs().client()
    const requests = recordRequests(client)
    const decisions: Record<string, HandlerResult | 'throw'> = {
      'source-0': { action: 'ack' },
      'source-1': { action: 'retry', visibilitySeconds: 120, reason: 'slack_down' },
      'source-2': { action: 'poison', reason: 'not-json' },
      'source-3': 'throw',
    }
    const log = recordLog()
    const source = createSqsSource({
      client, queueUrl, waitTimeSeconds: 1, poisonVisibilitySeconds: 900, log,
      handler: (m) => {
        const d = decisions[eventId(m)]
        return d === 'throw' || d === undefined ? Promise.reject(new Error('a bug')) : Promise.resolve(d)
      },
    })
    source.start()
    await until(() => requests.of('ChangeMessageVisibility').length === 3 && requests.of('DeleteMessageBatch').length === 1, 10_000, 'four decisions carried out')
    await source.stop(1_000)
    const seconds = requests.of('ChangeMessageVisibility').map((r) => r.input.VisibilityTimeout).sort((a, b) => Number(a) - Number(b))
    expect(seconds).toEqual([30, 120, 900])
    expect(requests.of('DeleteMessageBatch')[0]?.input.Entries).toHaveLength(1)
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['handler failed'])
    // One deleted, three hidden.
    const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
    expect(a.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '3' })
  })

  it('the cap on messages in work holds with several pollers', async () => {
    const queueUrl = await queueWith('source-cap', 12)
    let open = false
    let working = 0
    let most = 0
    const source = createSqsSource({
      client: sqs().client(), queueUrl, pollers: 3, maxInFlight: 4, waitTimeSeconds: 1, log: recordLog(),
      handler: async () => {
        working += 1
        most = Math.max(most, working)
        await until(() => open, 15_000, 'the gate')
        working -= 1
        return { action: 'ack' }
      },
    })
    source.start()
    await until(() => source.inFlight() === 4, 10_000, 'four in work')
    open = true
    await until(async () => (await queueDepth(queueUrl)) === 0, 15_000, 'all twelve deleted')
    await source.stop(1_000)
    expect(most).toBe(4)
  })

  it('the heartbeat keeps a slow message hidden: received once, handled once', async () => {
    const queueUrl = await queueWith('source-heartbeat', 1, 1)
    const client = sqs().client()
    const requests = recordRequests(client)
    let calls = 0
    const source = createSqsSource({
      client, queueUrl, waitTimeSeconds: 1, heartbeatIntervalMs: 300, extendVisibilitySeconds: 30, log: recordLog(),
      handler: async () => {
        calls += 1
        // Well past the queue's 1 s visibility.
        await until(() => requests.of('ChangeMessageVisibilityBatch').length >= 4, 10_000, 'four beats')
        return { action: 'ack' }
      },
    })
    source.start()
    await until(async () => (await queueDepth(queueUrl)) === 0, 15_000, 'the delete')
    await source.stop(1_000)
    expect(calls).toBe(1)
    expect(requests.of('ReceiveMessage').flatMap((r) => (r.output?.Messages ?? []) as Message[])).toHaveLength(1)
  })

  it('stop(grace): work in hand finishes within the grace, the rest is released at once and never hidden again', async () => {
    const queueUrl = await queueWith('source-stop', 3)
    const client = sqs().client()
    const requests = recordRequests(client)
    let slowMayEnd = false
    let slowEnded = 0
    const source = createSqsSource({
      client, queueUrl, waitTimeSeconds: 1, log: recordLog(),
      handler: async (m) => {
        if (eventId(m) === 'source-0') return { action: 'ack' }
        await until(() => slowMayEnd, 15_000, 'the end of the slow work')
        slowEnded += 1
        return { action: 'retry', visibilitySeconds: 600, reason: 'slack_down' }
      },
    })
    source.start()
    await until(() => source.inFlight() === 2 && requests.of('DeleteMessageBatch').length === 1, 10_000, 'one done, two in work')
    // A grace longer than the long polls' 1 s wait: a poll aborted at stop stays open at SQS until its wait lapses
    // and would take the released messages (createSqsSource's stop()).
    expect(await source.stop(1_500)).toEqual({ finished: 0, released: 2 })
    // Released: visible again at once, although the queue's visibility is 30 s.
    const back = await sqs().client().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))
    expect((back.Messages ?? []).map(eventId).sort()).toEqual(['source-1', 'source-2'])
    expect(requests.of('ChangeMessageVisibilityBatch').map((r) => r.input.Entries)).toEqual([[
      expect.objectContaining({ VisibilityTimeout: 0 }) as unknown,
      expect.objectContaining({ VisibilityTimeout: 0 }) as unknown,
    ]])
    // Their handlers end later and ask for a retry delay: a released message is not hidden again.
    slowMayEnd = true
    await until(() => slowEnded === 2 && source.inFlight() === 0, 10_000, 'the slow work to end')
    expect(requests.of('ChangeMessageVisibility')).toEqual([])
  })

  it('status(now): ok once a receive succeeded; onPoll still told; alive while polling', async () => {
    const queueUrl = await queueWith('source-status', 0)
    const polls: boolean[] = []
    const source = createSqsSource({ client: sqs().client(), queueUrl, waitTimeSeconds: 1, log: recordLog(), handler: () => Promise.resolve({ action: 'ack' }), onPoll: (ok) => polls.push(ok) })
    expect(source.status(Date.now())).toMatchObject({ ok: false, reason: 'no ReceiveMessage has succeeded yet' })
    source.start()
    await until(() => source.status(Date.now()).ok, 5_000, 'ok')
    expect(polls[0]).toBe(true)
    expect(source.alive().ok).toBe(true)
    await source.stop(100)
  })
})
