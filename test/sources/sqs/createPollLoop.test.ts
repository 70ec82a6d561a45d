import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, type Message, SendMessageCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { createPollLoop } from '../../../src/sources/sqs/createPollLoop.js'
import type { InWork } from '../../../src/sources/sqs/createWorkInHand.js'
import { until } from '../../support/daemonHarness.js'
import { fixtureText } from '../../support/fixtures.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { recordLog } from './recordLog.js'
import { recordRequests } from './sdkRecorder.js'

const sqs = useSqsEmulator()
const body = fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')

async function queueDepth(queueUrl: string): Promise<number> {
  const a = await sqs().client().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
}

describe('the poll loop', () => {
  it('keeps `pollers` long polls in flight at once', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('loop-pollers')
    const client = sqs().client()
    const requests = recordRequests(client)
    const release = requests.hold('ReceiveMessage')
    const loop = createPollLoop({ client, queueUrl, pollers: 3, waitTimeSeconds: 1, log: recordLog(), work: () => Promise.resolve() })
    loop.start()
    await until(() => requests.of('ReceiveMessage').length === 3, 5_000, 'three receives')
    // Each poller is held inside its request: a fourth request would be a fourth poller.
    expect(requests.of('ReceiveMessage')).toHaveLength(3)
    expect(requests.of('ReceiveMessage')[0]?.input).toMatchObject({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 })
    release()
    await loop.stop()
  })

  it('never has more than maxInFlight messages in work, and asks only for the room left', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('loop-cap')
    for (let n = 0; n < 7; n++) await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    const client = sqs().client()
    const requests = recordRequests(client)
    let open = false
    let working = 0
    let most = 0
    let handled = 0
    const loop = createPollLoop({
      client, queueUrl, pollers: 2, maxInFlight: 3, waitTimeSeconds: 1, log: recordLog(),
      work: async () => {
        working += 1
        most = Math.max(most, working)
        await until(() => open, 10_000, 'the gate')
        working -= 1
        handled += 1
      },
    })
    loop.start()
    await until(() => loop.size() === 3, 5_000, 'three in work')
    open = true
    await until(() => handled === 7, 10_000, 'all seven handled')
    await loop.stop()
    expect(most).toBe(3)
    for (const r of requests.of('ReceiveMessage')) expect(r.input.MaxNumberOfMessages).toBeLessThanOrEqual(3)
  })

  it('backs off with full jitter while ReceiveMessage fails, says why, and recovers by itself', async () => {
    const { queueUrl: existing } = await sqs().createQueueWithDlq('loop-exists')
    const queueUrl = existing.replace(/loop-exists$/, 'loop-created-later')
    const log = recordLog()
    const polls: Array<[boolean, string | undefined]> = []
    const loop = createPollLoop({
      client: sqs().client(), queueUrl, pollers: 1, waitTimeSeconds: 1, log, random: () => 0.01,
      onPoll: (ok, error) => polls.push([ok, error]), work: () => Promise.resolve(),
    })
    loop.start()
    const waits = () => log.lines.filter((l) => l.msg === 'ReceiveMessage failed').map((l) => l.obj.retryInMs)
    await until(() => waits().length >= 5, 10_000, 'five failed receives')
    // 1 % of a ceiling of 0.5 s doubling per attempt.
    expect(waits().slice(0, 5)).toEqual([5, 10, 20, 40, 80])
    const status = loop.status(Date.now())
    expect(status.ok).toBe(false)
    expect(status.reason).toMatch(/^ReceiveMessage failed: .*queue/i)
    expect(polls[0]).toEqual([false, expect.stringMatching(/queue/i) as unknown])
    await sqs().client().send(new CreateQueueCommand({ QueueName: 'loop-created-later' }))
    await until(() => loop.status(Date.now()).ok, 10_000, 'ok again')
    expect(polls.at(-1)).toEqual([true, undefined])
    await loop.stop()
  })

  it('a message received again while in work is not handled twice; its newest receipt is kept, and deletes it', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('loop-again', { visibilityTimeoutSeconds: 1 })
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    const client = sqs().client()
    const requests = recordRequests(client)
    const calls: Message[] = []
    const again: InWork[] = []
    let kept: string | undefined
    const loop = createPollLoop({
      client, queueUrl, waitTimeSeconds: 1, log: recordLog(),
      onReceivedAgain: (entry) => again.push({ ...entry }),
      work: async (message, entry) => {
        calls.push(message)
        // Slower than the queue's 1 s visibility: SQS hands the message out again meanwhile.
        await until(() => entry.receipt !== message.ReceiptHandle, 10_000, 'the second receipt')
        kept = entry.receipt
      },
    })
    loop.start()
    await until(() => kept !== undefined, 10_000, 'the work to end')
    await loop.stop()
    expect(calls).toHaveLength(1)
    const receipts = requests.of('ReceiveMessage').flatMap((r) => ((r.output?.Messages ?? []) as Message[]).map((m) => m.ReceiptHandle))
    expect(receipts).toHaveLength(2)
    expect(again.map((e) => e.receipt)).toEqual([receipts[1]])
    expect(kept).toBe(receipts[1])
    await sqs().client().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: kept }))
    expect(await queueDepth(queueUrl)).toBe(0)
  })

  it('stop() aborts the long polls in flight and reports the loop stopped', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('loop-stop')
    const client = sqs().client()
    const requests = recordRequests(client)
    const loop = createPollLoop({ client, queueUrl, waitTimeSeconds: 20, log: recordLog(), work: () => Promise.resolve() })
    loop.start()
    await until(() => requests.of('ReceiveMessage').length === 2, 5_000, 'two long polls')
    expect(loop.alive().ok).toBe(true)
    await loop.stop()
    expect(requests.of('ReceiveMessage').map((r) => r.error)).toEqual(['AbortError', 'AbortError'])
    expect(loop.alive()).toEqual({ ok: true, detail: 'stopped' })
  })
})

describe('the poll loop, given an answer SQS would not send', () => {
  it('skips a message without a ReceiptHandle, and says so', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('loop-no-receipt')
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    const client = sqs().client()
    // The real client over the emulator; this middleware removes the receipt from the answer, as a broken proxy might.
    client.middlewareStack.add((next) => async (args) => {
      const result = await next(args)
      for (const m of (result.output as { Messages?: Message[] }).Messages ?? []) delete m.ReceiptHandle
      return result
    }, { step: 'initialize', name: 'dropReceipt' })
    const log = recordLog()
    let worked = 0
    const loop = createPollLoop({ client, queueUrl, waitTimeSeconds: 1, log, work: async () => {
      worked += 1
      await Promise.resolve()
    } })
    loop.start()
    await until(() => log.lines.some((l) => l.level === 'warn'), 5_000, 'the warning')
    await loop.stop()
    expect(worked).toBe(0)
    expect(log.lines.find((l) => l.level === 'warn')).toMatchObject({ msg: 'ReceiveMessage answered a message without MessageId or ReceiptHandle; skipped', obj: { receipt: 'missing' } })
  })
})
