import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { batchesOfTen } from './batchesOfTen.js'

/** One message's visibility to change: the receipt must be its newest (see InWork.receipt). */
export interface VisibilityTarget {
  messageId: string
  receipt: string
}

export interface VisibilityFailure {
  messageId: string | undefined
  code: string
}

/**
 * Set the visibility of many messages with ChangeMessageVisibilityBatch, ten a request. Returns what failed — whole
 * requests (the error's name) and single entries (`Failed`: a receipt whose visibility already ran out answers
 * ReceiptHandleIsInvalid or MessageNotInflight) — never throws.
 */
export async function changeVisibilityInBatches(
  client: SQSClient,
  queueUrl: string,
  targets: readonly VisibilityTarget[],
  visibilitySeconds: number,
): Promise<VisibilityFailure[]> {
  const failures: VisibilityFailure[] = []
  for (const entries of batchesOfTen(targets)) {
    try {
      const res = await client.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map(({ Id, item }) => ({ Id, ReceiptHandle: item.receipt, VisibilityTimeout: visibilitySeconds })),
      }))
      const messageOf = new Map(entries.map(({ Id, item }) => [Id, item.messageId]))
      for (const f of res.Failed ?? []) failures.push({ messageId: messageOf.get(f.Id ?? ''), code: f.Code ?? 'unknown' })
    } catch (err) {
      const code = err instanceof Error ? err.name : String(err)
      for (const { item } of entries) failures.push({ messageId: item.messageId, code })
    }
  }
  return failures
}
