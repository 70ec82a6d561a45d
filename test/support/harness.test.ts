import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { ErrorCode, type WebAPIPlatformError, WebClient } from '@slack/web-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SlackDouble, startSlackDouble } from './slackDouble.js'
import { useSqsEmulator } from './sqsEmulator.js'

describe('the SQS emulator harness (real @aws-sdk/client-sqs against fauxqs on loopback)', () => {
  const sqs = useSqsEmulator()

  it('listens on 127.0.0.1 only', () => {
    expect(new URL(sqs().endpoint).hostname).toBe('127.0.0.1')
  })

  it('delivers a sent message to a long poll, hides it while in flight, and redelivers it after the visibility timeout', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('harness-visibility', { visibilityTimeoutSeconds: 1 })
    const client = sqs().client()
    // Start the long poll before sending: the message must arrive while the poll waits.
    const poll = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }))
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }))
    const first = await poll
    expect(first.Messages?.[0]?.Body).toBe('{"hello":"world"}')

    const hidden = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }))
    expect(hidden.Messages ?? []).toHaveLength(0)

    const again = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 3,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    )
    expect(again.Messages?.[0]?.Body).toBe('{"hello":"world"}')
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2')
    await client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }),
    )
  })

  it('moves a message that is never deleted to the dead-letter queue after maxReceiveCount receives', async () => {
    const { queueUrl, dlqUrl } = await sqs().createQueueWithDlq('harness-dlq', {
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
    })
    const client = sqs().client()
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }))
    for (let i = 0; i < 2; i++) {
      const r = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 3 }))
      expect(r.Messages?.[0]?.Body).toBe('poison')
    }
    // The third receive finds the count exhausted: SQS moves it to the DLQ instead of delivering it.
    const third = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 }))
    expect(third.Messages ?? []).toHaveLength(0)
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))
    expect(dead.Messages?.[0]?.Body).toBe('poison')
  })
})

describe('the Slack Web API double (real @slack/web-api WebClient on loopback)', () => {
  let slack: SlackDouble
  beforeAll(async () => {
    slack = await startSlackDouble()
  })
  afterAll(async () => {
    await slack.close()
  })
  const client = (options: ConstructorParameters<typeof WebClient>[1] = {}) =>
    new WebClient('xoxb-test-token', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, ...options })

  it('records a post with its blocks decoded', async () => {
    slack.reset()
    const res = await client().chat.postMessage({
      channel: '#alerts',
      text: 'hi',
      blocks: [{ type: 'divider' }],
    })
    expect(res.ok).toBe(true)
    expect(slack.messages).toEqual([
      { channel: 'C0ALERTS', ts: res.ts, text: 'hi', blocks: [{ type: 'divider' }], threadTs: undefined },
    ])
    expect(slack.callsOf('chat.postMessage')[0]?.token).toBe('xoxb-test-token')
  })

  it('waits out a 429\'s Retry-After, then succeeds', async () => {
    slack.reset()
    slack.script('chat.postMessage', { kind: 'rateLimited', retryAfterSeconds: 1 })
    const started = Date.now()
    const res = await client({
      retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 },
    }).chat.postMessage({ channel: '#alerts', text: 'after 429' })
    expect(res.ok).toBe(true)
    expect(slack.callsOf('chat.postMessage').map((c) => c.reply)).toEqual(['rateLimited', 'ok'])
    const [first, second] = slack.callsOf('chat.postMessage')
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('surfaces channel_not_found as a platform error the code can tell apart', async () => {
    slack.reset()
    const err = (await client()
      .chat.postMessage({ channel: '#nowhere', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIPlatformError
    expect(err.code).toBe(ErrorCode.PlatformError)
    expect(err.data.error).toBe('channel_not_found')
  })

  it.each(['not_in_channel', 'invalid_auth', 'msg_too_long', 'invalid_blocks'])(
    'answers a scripted ok:false %s',
    async (code) => {
      slack.reset()
      slack.script('chat.postMessage', { kind: 'error', error: code })
      const err = (await client()
        .chat.postMessage({ channel: '#alerts', text: 'x' })
        .catch((e: unknown) => e)) as WebAPIPlatformError
      expect(err.data.error).toBe(code)
    },
  )

  it('answers 5xx, slow and hanging responses', async () => {
    slack.reset()
    slack.script('chat.postMessage', { kind: 'http', status: 503 })
    const err = (await client()
      .chat.postMessage({ channel: '#alerts', text: 'x' })
      .catch((e: unknown) => e)) as { code: string, statusCode?: number }
    expect(err.code).toBe(ErrorCode.HTTPError)
    expect(err.statusCode).toBe(503)

    slack.script('auth.test', { kind: 'slow', delayMs: 300 })
    const t0 = Date.now()
    expect((await client().auth.test()).ok).toBe(true)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250)

    slack.script('chat.postMessage', { kind: 'hang' })
    const hung = await client({ timeout: 300 })
      .chat.postMessage({ channel: '#alerts', text: 'x' })
      .catch((e: unknown) => e as Error)
    expect(hung).toBeInstanceOf(Error)
    expect(slack.messages).toHaveLength(0)
  })

  it('implements chat.update and conversations.info', async () => {
    slack.reset()
    const c = client()
    const posted = await c.chat.postMessage({ channel: '#alerts', text: 'v1' })
    await c.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'v2' })
    expect(slack.messages[0]?.text).toBe('v2')
    const info = await c.conversations.info({ channel: '#alerts' })
    expect(info.channel?.id).toBe('C0ALERTS')
  })

  it('rejects a wrong token with invalid_auth', async () => {
    const err = (await new WebClient('xoxb-wrong', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
    }).auth
      .test()
      .catch((e: unknown) => e)) as WebAPIPlatformError
    expect(err.data.error).toBe('invalid_auth')
  })
})
