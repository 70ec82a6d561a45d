import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { until } from '../../support/daemonHarness.js'

/** Receive until `count` messages have come back (each receive may return fewer), as a consumer under test would. */
export async function receiveAll(client: SQSClient, queueUrl: string, count: number, waitTimeSeconds = 1): Promise<Message[]> {
  const got: Message[] = []
  await until(async () => {
    const res = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitTimeSeconds }))
    got.push(...(res.Messages ?? []))
    return got.length >= count
  }, 10_000, `${count} messages`)
  return got
}
