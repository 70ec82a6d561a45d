import { DeleteMessageBatchCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { createDeleteBatcher } from '../../../src/sources/sqs/createDeleteBatcher.js'
import { fixtureText } from '../../support/fixtures.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { receiveAll as receiveAllFrom } from './receiveAll.js'
import { recordLog } from './recordLog.js'
import { entryIds, recordRequests } from './sdkRecorder.js'

const sqs = useSqsEmulator()
const body = fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')

async function queueDepth(queueUrl: string): Promise<number> {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

const receiveAll = (queueUrl: string, count: number, waitTimeSeconds = 1) => receiveAllFrom(sqs().client(), queueUrl, count, waitTimeSeconds)

async function fill(queueUrl: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i)
    await sqs().client().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: body })) }))
  }
}

describe('the batched deletes', () => {
  it('the emulator, like SQS, refuses a whole DeleteMessageBatch whose entry Ids repeat (BatchEntryIdsNotDistinct)', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-ids')
    await fill(queueUrl, 2)
    const [a, b] = await receiveAll(queueUrl, 2)
    const send = sqs().client().send(new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: [{ Id: 'same', ReceiptHandle: a!.ReceiptHandle! }, { Id: 'same', ReceiptHandle: b!.ReceiptHandle! }],
    }))
    await expect(send).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' })
    expect(await queueDepth(queueUrl)).toBe(2)
  })

  it('12 acknowledgements: one request of ten at once, one of two after the gathering wait; Ids distinct; all deleted', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-twelve')
    await fill(queueUrl, 12)
    const messages = await receiveAll(queueUrl, 12)
    const client = sqs().client()
    const requests = recordRequests(client)
    const deletes = createDeleteBatcher({ client, queueUrl, log: recordLog() })
    for (const m of messages) deletes.delete(m.MessageId!, m.ReceiptHandle!)
    await deletes.flush()
    const batches = requests.of('DeleteMessageBatch')
    expect(batches.map((r) => entryIds(r).length)).toEqual([10, 2])
    for (const r of batches) expect(new Set(entryIds(r)).size).toBe(entryIds(r).length)
    expect(await queueDepth(queueUrl)).toBe(0)
  })

  it('a message acknowledged with two receipts before its delete went: one entry, with the newest receipt, which deletes it', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-two-receipts', { visibilityTimeoutSeconds: 1 })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    const [first] = await receiveAll(queueUrl, 1)
    // Its visibility runs out; the next receive hands it out again with a new receipt.
    const [second] = await receiveAll(queueUrl, 1, 2)
    expect(second!.MessageId).toBe(first!.MessageId)
    const client = sqs().client()
    const requests = recordRequests(client)
    const deletes = createDeleteBatcher({ client, queueUrl, log: recordLog() })
    deletes.delete(first!.MessageId!, first!.ReceiptHandle!)
    deletes.delete(second!.MessageId!, second!.ReceiptHandle!)
    await deletes.flush()
    expect(requests.of('DeleteMessageBatch').map((r) => r.input.Entries)).toEqual([[{ Id: '0', ReceiptHandle: second!.ReceiptHandle }]])
    expect(await queueDepth(queueUrl)).toBe(0)
  })

  it('renew: a waiting delete takes the newer receipt; nothing waiting, nothing renewed', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-renew', { visibilityTimeoutSeconds: 1 })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    const [first] = await receiveAll(queueUrl, 1)
    const [second] = await receiveAll(queueUrl, 1, 2)
    const deletes = createDeleteBatcher({ client: sqs().client(), queueUrl, log: recordLog(), gatherMs: 60_000 })
    expect(deletes.renew(first!.MessageId!, second!.ReceiptHandle!)).toBe(false)
    deletes.delete(first!.MessageId!, first!.ReceiptHandle!)
    expect(deletes.renew(first!.MessageId!, second!.ReceiptHandle!)).toBe(true)
    await deletes.flush()
    expect(await queueDepth(queueUrl)).toBe(0)
  })

  it('reads `Failed` in a 200 answer: counted, logged with the message id', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-failed')
    await fill(queueUrl, 2)
    const [a, b] = await receiveAll(queueUrl, 2)
    const client = sqs().client()
    // fauxqs answers every delete entry as Successful; SQS reports e.g. ReceiptHandleIsInvalid per entry, in a 200
    // answer. This middleware on the real client moves the first entry's answer to Failed, as SQS would.
    client.middlewareStack.add((next) => async (args) => {
      const result = await next(args)
      const output = result.output as { Successful?: Array<{ Id?: string }>, Failed?: unknown[] }
      const moved = output.Successful?.shift()
      if (moved) output.Failed = [{ Id: moved.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle is invalid.' }]
      return result
    }, { step: 'initialize', name: 'failFirstEntry' })
    const log = recordLog()
    let failed = 0
    const deletes = createDeleteBatcher({ client, queueUrl, log, onDeleteFailed: (n) => { failed += n } })
    deletes.delete(a!.MessageId!, a!.ReceiptHandle!)
    deletes.delete(b!.MessageId!, b!.ReceiptHandle!)
    await deletes.flush()
    expect(failed).toBe(1)
    expect(log.lines.find((l) => l.level === 'warn')?.obj).toEqual({ failed: [{ messageId: a!.MessageId, code: 'ReceiptHandleIsInvalid', message: 'The input receipt handle is invalid.' }] })
  })

  it('a request that fails whole counts all its messages as not deleted', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('deletes-gone')
    await fill(queueUrl, 3)
    const messages = await receiveAll(queueUrl, 3)
    let failed = 0
    const log = recordLog()
    const deletes = createDeleteBatcher({ client: sqs().client(), queueUrl: `${queueUrl}-missing`, log, onDeleteFailed: (n) => { failed += n } })
    for (const m of messages) deletes.delete(m.MessageId!, m.ReceiptHandle!)
    await deletes.flush()
    expect(failed).toBe(3)
    expect(log.lines.map((l) => l.msg)).toEqual(['DeleteMessageBatch failed; those messages will be redelivered and deduplicated'])
  })
})
