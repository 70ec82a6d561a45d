import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'

/**
 * The embedded local default: an SQS emulator (fauxqs) on loopback, so `npm run demo` and the
 * tests need no AWS account. fauxqs is a dev dependency — it is never part of the production image.
 *
 * fauxqs' own `startFauxqs()` binds every interface; we build its app and listen on loopback only.
 */
export interface EmbeddedSqs {
  /** e.g. http://127.0.0.1:43121 — give it to the SDK as `endpoint` or AWS_ENDPOINT_URL_SQS. */
  readonly endpoint: string
  readonly region: string
  /** A client for this emulator with dummy credentials (fauxqs does not check signatures). */
  client(): SQSClient
  /** Create a queue and its dead-letter queue, wired with a redrive policy. */
  createQueueWithDlq(name: string, options?: QueueOptions): Promise<QueuePair>
  stop(): Promise<void>
}

export interface QueueOptions {
  /** Receives before SQS moves a message to the DLQ (the redrive policy's maxReceiveCount). */
  maxReceiveCount?: number
  visibilityTimeoutSeconds?: number
}

export interface QueuePair {
  queueUrl: string
  dlqUrl: string
  dlqArn: string
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const

export async function startEmbeddedSqs({
  host = '127.0.0.1',
  port = 0,
  region = 'us-east-1',
}: {
  host?: string
  port?: number
  region?: string
} = {}): Promise<EmbeddedSqs> {
  let buildApp: typeof import('fauxqs').buildApp
  try {
    ;({ buildApp } = await import('fauxqs'))
  } catch (cause) {
    throw new Error(
      'The embedded SQS emulator (fauxqs) is not installed. It is a dev dependency: run `npm ci` '
      + '(not `npm ci --omit=dev`), or point trailwarden at a real queue with TRAILWARDEN_QUEUE_URL.',
      { cause },
    )
  }
  const app = buildApp({ logger: false, defaultRegion: region })
  await app.listen({ host, port })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('fauxqs did not report a TCP address')
  return emulatorAt(`http://${host}:${address.port}`, region, () => app.close())
}

/** The EmbeddedSqs interface for an emulator already listening at `endpoint`; `close` stops the emulator. */
export function emulatorAt(endpoint: string, region: string, close: () => Promise<unknown>): EmbeddedSqs {
  const clients: SQSClient[] = []
  const client = (): SQSClient => {
    const c = new SQSClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 })
    clients.push(c)
    return c
  }
  return {
    endpoint,
    region,
    client,
    createQueueWithDlq: (name, options) => createQueueWithDlq(client(), name, options),
    async stop() {
      for (const c of clients) c.destroy()
      await close()
    },
  }
}

/** A queue and its dead-letter queue, wired with a redrive policy, on whatever endpoint the client points at. */
export async function createQueueWithDlq(
  sqs: SQSClient,
  name: string,
  { maxReceiveCount = 3, visibilityTimeoutSeconds = 30 }: QueueOptions = {},
): Promise<QueuePair> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))
  const dlqUrl = answered(dlq.QueueUrl, `CreateQueue ${name}-dlq`, 'QueueUrl')
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  const dlqArn = answered(attrs.Attributes?.QueueArn, `GetQueueAttributes ${name}-dlq`, 'QueueArn')
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  )
  return { queueUrl: answered(queue.QueueUrl, `CreateQueue ${name}`, 'QueueUrl'), dlqUrl, dlqArn }
}

/** The SDK types every answer field as optional: one this setup needs and did not get fails here, by name, not later as "undefined". */
function answered(value: string | undefined, call: string, field: string): string {
  if (value === undefined || value === '') throw new Error(`${call} answered without ${field}`)
  return value
}
