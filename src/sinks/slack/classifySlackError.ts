import { ErrorCode } from '@slack/web-api'
import type { FailureKind } from '../deliveryError.js'

/** ok:false errors that mean the token or channel is wrong: retrying the same call cannot help. */
const CONFIGURATION = new Set([
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'team_access_not_granted', 'ekm_access_denied',
])
/** ok:false errors about the message itself: send a smaller one. */
const PAYLOAD = new Set(['msg_too_long', 'msg_blocks_too_long', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments', 'invalid_attachments', 'invalid_arguments'])

export interface SlackFailure {
  kind: FailureKind
  code: string
  /** For HTTP 429: how long Slack asked us to wait. */
  retryAfterMs?: number
}

interface SlackLikeError {
  code?: string
  data?: { error?: string }
  retryAfter?: number
  statusCode?: number
  message?: string
  /** WebAPIRequestError: what fetch threw (a TimeoutError when the client's `timeout` ran out). */
  original?: { name?: string }
}

/** fetch aborted by AbortSignal.timeout (the client's `timeout` option) throws a DOMException named TimeoutError. */
const isTimeout = (e: { name?: string, message?: string } | undefined): boolean =>
  e?.name === 'TimeoutError' || e?.name === 'AbortError' || /timeout|timed out|abort/i.test(e?.message ?? '')

/**
 * @slack/web-api's errors → what to do. Platform errors carry Slack's code in data.error
 * (https://api.slack.com/methods/chat.postMessage#errors); rate limits a retryAfter in seconds; HTTP and request
 * errors (5xx, network, timeouts, each with its own code for the metrics) are worth retrying. Unknown platform errors are retried too: an alert is never
 * dropped on a guess, and a message that keeps failing reaches the DLQ.
 */
export function classifySlackError(err: unknown): SlackFailure {
  const e = (err ?? {}) as SlackLikeError
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'retryable', code: 'ratelimited', retryAfterMs: (e.retryAfter ?? 1) * 1000 }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error'
      if (CONFIGURATION.has(code)) return { kind: 'configuration', code }
      if (PAYLOAD.has(code)) return { kind: 'payload', code }
      return { kind: 'retryable', code }
    }
    case ErrorCode.HTTPError:
      return { kind: 'retryable', code: `http_${e.statusCode ?? 'error'}` }
    case ErrorCode.RequestError:
      return { kind: 'retryable', code: isTimeout(e.original) ? 'timeout' : 'request_error' }
    default:
      return { kind: 'retryable', code: isTimeout(e) ? 'timeout' : 'unknown_error' }
  }
}
