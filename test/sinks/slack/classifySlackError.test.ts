import { createServer } from 'node:net'
import { ErrorCode, WebClient } from '@slack/web-api'
import { describe, expect, it } from 'vitest'
import { classifySlackError, type SlackFailure } from '../../../src/sinks/slack/classifySlackError.js'
import { type SlackReply, useSlackDouble } from '../../support/slackDouble.js'

const slack = useSlackDouble()

/** What the real client throws for chat.postMessage when the double answers `reply`. */
async function thrownFor(reply: SlackReply, timeout = 2_000): Promise<unknown> {
  slack().script('chat.postMessage', reply)
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack().url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout })
  return client.chat.postMessage({ channel: '#alerts', text: 'x' }).then(() => undefined, (err: unknown) => err)
}

/** A loopback port nobody listens on: the client's fetch fails to connect. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => { resolve() }))
  return port
}

const CONFIGURATION = [
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'team_access_not_granted', 'ekm_access_denied',
]
const PAYLOAD = ['msg_too_long', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments', 'invalid_attachments', 'invalid_arguments']
/** ok:false codes Slack documents as transient, and one it may add tomorrow: retried, never dropped on a guess. */
const UNKNOWN_PLATFORM = ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'a_code_slack_adds_in_2030']

const table: Array<[family: string, reply: SlackReply, expected: SlackFailure]> = [
  ['rate limit', { kind: 'rateLimited', retryAfterSeconds: 7 }, { kind: 'retryable', code: 'ratelimited', retryAfterMs: 7_000 }],
  ...CONFIGURATION.map((code): [string, SlackReply, SlackFailure] => ['configuration', { kind: 'error', error: code }, { kind: 'configuration', code }]),
  ...PAYLOAD.map((code): [string, SlackReply, SlackFailure] => ['payload', { kind: 'error', error: code }, { kind: 'payload', code }]),
  ...[500, 502, 503, 504].map((status): [string, SlackReply, SlackFailure] => ['HTTP 5xx', { kind: 'http', status }, { kind: 'retryable', code: `http_${status}` }]),
  ...UNKNOWN_PLATFORM.map((code): [string, SlackReply, SlackFailure] => ['unknown ok:false', { kind: 'error', error: code }, { kind: 'retryable', code }]),
]

describe('classifySlackError: what each failure of the real client means for the message', () => {
  it.each(table)('%s: %j → %j', async (_family, reply, expected) => {
    expect(classifySlackError(await thrownFor(reply))).toEqual(expected)
  })

  it('timeout: a hanging Slack, aborted by the client\'s timeout', async () => {
    expect(classifySlackError(await thrownFor({ kind: 'hang' }, 150))).toEqual({ kind: 'retryable', code: 'timeout' })
  })

  it('request error: nothing listening (connection refused)', async () => {
    const client = new WebClient('xoxb-test-token', { slackApiUrl: `http://127.0.0.1:${await closedPort()}/api/`, retryConfig: { retries: 0 }, timeout: 2_000 })
    const err = await client.chat.postMessage({ channel: '#alerts', text: 'x' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: ErrorCode.RequestError })
    expect(classifySlackError(err)).toEqual({ kind: 'retryable', code: 'request_error' })
  })

  it.each([
    ['an ok:false without a code', Object.assign(new Error('x'), { code: ErrorCode.PlatformError, data: { ok: false } }), { kind: 'retryable', code: 'unknown_error' }],
    ['a bug of ours (TypeError)', new TypeError('cannot read properties of undefined'), { kind: 'retryable', code: 'unknown_error' }],
    ['a timeout from elsewhere', new Error('operation timed out'), { kind: 'retryable', code: 'timeout' }],
    ['not even an Error', undefined, { kind: 'retryable', code: 'unknown_error' }],
  ])('unknown: %s → %j', (_case, err, expected) => {
    expect(classifySlackError(err)).toEqual(expected)
  })
})
