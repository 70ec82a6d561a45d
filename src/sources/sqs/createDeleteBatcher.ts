import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { batchesOfTen } from './batchesOfTen.js'
import type { SourceLog } from './sourceLog.js'

export interface DeleteBatcherOptions {
  client: SQSClient
  queueUrl: string
  log: SourceLog
  /** Messages whose delete failed (they come back and are recognised as duplicates). */
  onDeleteFailed?: (count: number) => void
  /** How long the first delete waits for others to share its request. */
  gatherMs?: number
}

/**
 * Acknowledgements: deletes gathered into DeleteMessageBatch requests of up to ten, sent when ten are waiting or
 * `gatherMs` after the first. A batch answers 200 even when some entries failed, so `Failed` is read
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html).
 *
 * One waiting delete per message: a newer receipt of a message already waiting replaces the older one, since only
 * the most recent receipt deletes for sure (API_DeleteMessage.html), and two entries for one message are pointless.
 */
export function createDeleteBatcher({ client, queueUrl, log, onDeleteFailed, gatherMs = 5 }: DeleteBatcherOptions) {
  /** MessageId → the receipt to delete it with. */
  const waiting = new Map<string, string>()
  const sending = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined

  async function send(batch: Array<[string, string]>): Promise<void> {
    for (const entries of batchesOfTen(batch)) {
      try {
        const res = await client.send(new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map(({ Id, item: [, receipt] }) => ({ Id, ReceiptHandle: receipt })),
        }))
        if (res.Failed?.length) {
          const messageOf = new Map(entries.map(({ Id, item: [messageId] }) => [Id, messageId]))
          onDeleteFailed?.(res.Failed.length)
          log.warn(
            { failed: res.Failed.map((f) => ({ messageId: messageOf.get(f.Id ?? ''), code: f.Code, message: f.Message })) },
            'some deletes failed; those messages will be redelivered and deduplicated',
          )
        }
      } catch (err) {
        onDeleteFailed?.(entries.length)
        log.warn({ err: String(err), count: entries.length }, 'DeleteMessageBatch failed; those messages will be redelivered and deduplicated')
      }
    }
  }

  /** Send what is waiting now, in requests of up to ten. */
  function sendWaiting(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    if (waiting.size === 0) return Promise.resolve()
    const batch = [...waiting]
    waiting.clear()
    const sent = send(batch).finally(() => sending.delete(sent))
    sending.add(sent)
    return sent
  }

  return {
    /** Acknowledge a message: delete it with this receipt, soon. */
    delete(messageId: string, receipt: string): void {
      waiting.set(messageId, receipt)
      if (waiting.size >= 10) void sendWaiting()
      // A short wait gathers a batch; kept short because a crash between an accepted alert and its delete is what
      // makes a duplicate after restart (the idempotency memory dies with the process).
      else timer ??= setTimeout(() => void sendWaiting(), gatherMs)
    },
    /** A newer receipt for a message whose delete is waiting: delete with it instead. False when none is waiting. */
    renew(messageId: string, receipt: string): boolean {
      if (!waiting.has(messageId)) return false
      waiting.set(messageId, receipt)
      return true
    },
    /** Send every waiting delete and wait for every request in flight. */
    async flush(): Promise<void> {
      await sendWaiting()
      await Promise.allSettled([...sending])
    },
  }
}
