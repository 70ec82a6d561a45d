import { readdir, readFile } from 'node:fs/promises'
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { startEmbeddedSqs } from '../local/embeddedSqs.js'
import { type Command, packageRoot } from './io.js'

const examplesDir = new URL('examples/events/', packageRoot)

export const demoCommand: Command = {
  summary: 'run the pipeline on loopback with the embedded SQS emulator and the sample events',
  usage: 'trailwarden demo',
  async run(_argv, io) {
    const sqs = await startEmbeddedSqs()
    try {
      const { queueUrl } = await sqs.createQueueWithDlq('trailwarden-demo')
      const client = sqs.client()
      const files = (await readdir(examplesDir)).filter((f) => f.endsWith('.json')).sort()
      for (const file of files) {
        const body = await readFile(new URL(file, examplesDir), 'utf8')
        await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
      }
      io.stdout.write(
        `embedded SQS on ${sqs.endpoint}: sent ${files.length} sample events from examples/events/\n`,
      )
      let seen = 0
      while (seen < files.length) {
        const r = await client.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
        )
        const messages = r.Messages ?? []
        if (messages.length === 0) break
        for (const m of messages) {
          const detail = (JSON.parse(m.Body ?? '{}') as { detail?: Record<string, unknown> }).detail ?? {}
          io.stdout.write(
            `${String(detail.eventTime)}  ${String(detail.eventName)}  ${String(detail.awsRegion)}\n`,
          )
        }
        seen += messages.length
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        )
      }
      io.stdout.write(`received ${seen} of ${files.length}\n`)
      return seen === files.length ? 0 : 1
    } finally {
      await sqs.stop()
    }
  },
}
