/**
 * The entries of an SQS batch action (DeleteMessageBatch, ChangeMessageVisibilityBatch): at most ten a request, and
 * each entry's `Id` distinct within its request — two equal Ids fail the whole request with BatchEntryIdsNotDistinct
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatchRequestEntry.html:
 * "The Ids of a batch request need to be unique within a request").
 *
 * The Id is the entry's position in its request, distinct by construction whatever the messages are: the SQS
 * MessageId is not, because one message can be received twice and both receipts can reach the same batch.
 */
export function batchesOfTen<T>(items: readonly T[]): Array<Array<{ Id: string, item: T }>> {
  const batches: Array<Array<{ Id: string, item: T }>> = []
  for (let i = 0; i < items.length; i += 10) batches.push(items.slice(i, i + 10).map((item, n) => ({ Id: String(n), item })))
  return batches
}
