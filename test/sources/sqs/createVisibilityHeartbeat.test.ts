import { ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { changeVisibilityInBatches } from '../../../src/sources/sqs/changeVisibilityInBatches.js'
import type { InWork } from '../../../src/sources/sqs/createWorkInHand.js'
import { createVisibilityHeartbeat } from '../../../src/sources/sqs/createVisibilityHeartbeat.js'
import { until } from '../../support/daemonHarness.js'
import { fixtureText } from '../../support/fixtures.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { receiveAll as receiveAllFrom } from './receiveAll.js'
import { recordLog } from './recordLog.js'
import { entryIds, recordRequests } from './sdkRecorder.js'

const sqs = useSqsEmulator()
const body = fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')
const T0 = 1_800_000_000_000

const receiveAll = (queueUrl: string, count: number, waitTimeSeconds = 1) => receiveAllFrom(sqs().client(), queueUrl, count, waitTimeSeconds)

/** `count` messages sent and received: in work, with a queue visibility of 1 s. */
async function inWorkOn(name: string, count: number, receivedAt = T0): Promise<{ queueUrl: string, entries: InWork[] }> {
  const { queueUrl } = await sqs().createQueueWithDlq(name, { visibilityTimeoutSeconds: 1 })
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i)
    await sqs().client().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, k) => ({ Id: `m${k}`, MessageBody: body })) }))
  }
  const messages = await receiveAll(queueUrl, count)
  return { queueUrl, entries: messages.map((m) => ({ messageId: m.MessageId!, receipt: m.ReceiptHandle!, receivedAt, finishing: false, released: false })) }
}

/** A heartbeat of 15 s extending by 30 s, whose clock says `at`. */
const beatingAt = (at: number, client: SQSClient, queueUrl: string, entries: InWork[]) =>
  createVisibilityHeartbeat({ client, queueUrl, inWork: () => entries, intervalMs: 15_000, extendSeconds: 30, log: recordLog(), now: () => at })

describe('the visibility heartbeat', () => {
  it('extends the messages in work for at least the interval, ten a request with distinct Ids, and no others', async () => {
    const { queueUrl, entries } = await inWorkOn('heartbeat-extend', 14)
    const [tooNew, finishing] = [entries[12]!, entries[13]!]
    Object.assign(tooNew, { receivedAt: T0 + 10_000 })
    finishing.finishing = true
    const client = sqs().client()
    const requests = recordRequests(client)
    const hb = beatingAt(T0 + 15_000, client, queueUrl, entries)
    await hb.beat()
    const batches = requests.of('ChangeMessageVisibilityBatch')
    expect(batches.map((r) => entryIds(r))).toEqual([['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ['0', '1']])
    expect(batches.flatMap((r) => r.output?.Failed as unknown[])).toEqual([])
    // The queue's 1 s visibility runs out for the two left alone only: the twelve are hidden for 30 s.
    const back = await receiveAll(queueUrl, 2)
    expect(back.map((m) => m.MessageId).sort()).toEqual([tooNew.messageId, finishing.messageId].sort())
    const extended = new Set(entries.slice(0, 12).map((e) => e.messageId))
    const more = await sqs().client().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }))
    expect((more.Messages ?? []).filter((m) => extended.has(m.MessageId!))).toEqual([])
  })

  it('a final visibility change waits for the running beat (settled), so the beat cannot hide the message after it', async () => {
    const { queueUrl, entries } = await inWorkOn('heartbeat-settled', 1)
    const client = sqs().client()
    const requests = recordRequests(client)
    const hb = beatingAt(T0 + 15_000, client, queueUrl, entries)
    const release = requests.hold('ChangeMessageVisibilityBatch')
    void hb.beat()
    await until(() => requests.of('ChangeMessageVisibilityBatch').length === 1, 5_000, 'the beat under way')
    let settled = false
    const waiting = hb.settled().then(() => { settled = true })
    // The beat's request is held: settled() cannot have resolved, however long this waits.
    await new Promise((r) => setTimeout(r, 50))
    expect(settled).toBe(false)
    release()
    await waiting
    expect(requests.of('ChangeMessageVisibilityBatch')[0]?.output?.Failed).toEqual([])
    // Now the final change: visibility 0, and the message is back at once.
    expect(await changeVisibilityInBatches(client, queueUrl, entries, 0)).toEqual([])
    const res = await sqs().client().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }))
    expect(res.Messages?.map((m) => m.MessageId)).toEqual([entries[0]!.messageId])
  })

  it('a receipt whose visibility already ran out is reported with its message id', async () => {
    const { queueUrl, entries } = await inWorkOn('heartbeat-expired', 1)
    // Received again after its 1 s: the receipt in hand is stale.
    await receiveAll(queueUrl, 1, 2)
    const log = recordLog()
    const hb = createVisibilityHeartbeat({ client: sqs().client(), queueUrl, inWork: () => entries, intervalMs: 15_000, log, now: () => T0 + 15_000 })
    await hb.beat()
    expect(log.lines).toEqual([{ level: 'warn', msg: 'visibility heartbeat failed for some messages', obj: { failed: [{ messageId: entries[0]!.messageId, code: 'ReceiptHandleIsInvalid' }] } }])
  })

  it('beats by itself every interval once started; stop() ends it and waits for the running beat', async () => {
    const { queueUrl, entries } = await inWorkOn('heartbeat-timer', 1, 0)
    const client = sqs().client()
    const requests = recordRequests(client)
    const hb = createVisibilityHeartbeat({ client, queueUrl, inWork: () => entries, intervalMs: 100, extendSeconds: 30, log: recordLog() })
    hb.start()
    await until(() => requests.of('ChangeMessageVisibilityBatch').length >= 2, 5_000, 'two beats')
    await hb.stop()
    const beats = requests.of('ChangeMessageVisibilityBatch')
    expect(beats.every((r) => r.output !== undefined)).toBe(true)
  })
})
