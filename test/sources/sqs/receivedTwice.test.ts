import { GetQueueAttributesCommand, type Message, SendMessageCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { createSqsSource } from '../../../src/sources/sqs/createSqsSource.js'
import { until } from '../../support/daemonHarness.js'
import { fixtureText } from '../../support/fixtures.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { recordLog } from './recordLog.js'
import { entryIds, gate, recordRequests } from './sdkRecorder.js'

// Issue 16: "The same message received twice fails the whole delete batch". SQS hands a message out again when its
// visibility runs out during a slow Slack (or simply at least once); here the queue's visibility is 1 s and the
// handler is slower, with no heartbeat to extend it.

const sqs = useSqsEmulator()
const body = fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')

async function queueDepth(queueUrl: string): Promise<number> {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

/** A queue holding one message, and a client that records what it sends and counts each receive of the message. */
async function setup(name: string) {
  const { queueUrl } = await sqs().createQueueWithDlq(name, { visibilityTimeoutSeconds: 1 })
  const sent = await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
  const client = sqs().client()
  const requests = recordRequests(client)
  const receives = () => requests.of('ReceiveMessage').flatMap((r) => (r.output?.Messages ?? []) as Message[]).filter((m) => m.MessageId === sent.MessageId).length
  return { queueUrl, client, requests, receives, messageId: sent.MessageId }
}

describe('the same message received twice', () => {
  it('the two acknowledgements never share a DeleteMessageBatch entry Id: no request is refused, the message is deleted', async () => {
    const { queueUrl, client, requests, messageId } = await setup('twice-ids')
    // The first handling ends the moment the second receive is answered, so both acknowledgements (if the second
    // receipt were handled too) land in the same 5 ms batch.
    const { promise: received, open: secondReceive } = gate()
    let seen = 0
    client.middlewareStack.add((next) => async (args) => {
      const result = await next(args)
      const output = result.output as { Messages?: Message[] }
      seen += (output.Messages ?? []).filter((m) => m.MessageId === messageId).length
      if (seen >= 2) secondReceive()
      return result
    }, { step: 'initialize', name: 'secondReceive' })
    const source = createSqsSource({
      client, queueUrl, waitTimeSeconds: 1, heartbeatIntervalMs: 60_000, log: recordLog(),
      handler: async () => {
        await received
        return { action: 'ack' }
      },
    })
    source.start()
    await until(() => requests.of('DeleteMessageBatch').some((r) => r.output !== undefined || r.error !== undefined), 10_000, 'a delete answered')
    await until(async () => (await queueDepth(queueUrl)) === 0, 10_000, 'the message deleted')
    await source.stop(1_000)
    for (const r of requests.of('DeleteMessageBatch')) {
      expect(r.error).toBeUndefined()
      expect(new Set(entryIds(r)).size).toBe(entryIds(r).length)
    }
  })

  it('a message whose visibility runs out while its handler works: handled once, deleted with its newest receipt, nothing left', async () => {
    const { queueUrl, client, requests, receives } = await setup('twice-once')
    let calls = 0
    const source = createSqsSource({
      client, queueUrl, waitTimeSeconds: 1, heartbeatIntervalMs: 60_000, log: recordLog(),
      handler: async () => {
        calls += 1
        await until(() => receives() >= 2, 10_000, 'the second receive')
        return { action: 'ack' }
      },
    })
    source.start()
    await until(async () => (await queueDepth(queueUrl)) === 0, 10_000, 'the message deleted')
    await source.stop(1_000)
    expect(calls).toBe(1)
    const newest = requests.of('ReceiveMessage').flatMap((r) => (r.output?.Messages ?? []) as Message[]).at(-1)?.ReceiptHandle
    const deleted = requests.of('DeleteMessageBatch').flatMap((r) => (r.input.Entries ?? []) as Array<{ ReceiptHandle: string }>).map((e) => e.ReceiptHandle)
    expect(deleted).toEqual([newest])
  })
})
