import { redactSecrets } from '../../core/alerts/redact.js'
import type { ComponentStatus } from '../../health/componentStatus.js'

/**
 * The last ReceiveMessage must have succeeded within this long for the source to be ready: a long poll returns at
 * least every 20 s (WaitTimeSeconds), and a failing endpoint is retried with a backoff of at most 30 s.
 */
export const POLL_FRESHNESS_MS = 60_000

/** Longest failure text kept for /readyz and the logs: enough for an SDK message, bounded whatever the endpoint says. */
const MAX_REASON = 300

/**
 * The source's readiness, from the outcome of its ReceiveMessage calls: ok while the last call succeeded less than
 * POLL_FRESHNESS_MS ago. Fed by the poll loop, read by /readyz; `status` is pure given `now`.
 */
export function createPollStatus(createdAt: number) {
  let lastOk: number | undefined
  /** The first failure since the last success: when a failing endpoint stopped being ok. */
  let failingSince: number | undefined
  let lastError: string | undefined
  let okSince = createdAt

  function status(now: number): ComponentStatus {
    if (lastOk === undefined) {
      return { ok: false, reason: lastError ? `ReceiveMessage failed: ${lastError}` : 'no ReceiveMessage has succeeded yet', since: createdAt }
    }
    const staleAt = lastOk + POLL_FRESHNESS_MS
    if (lastError !== undefined) return { ok: false, reason: `ReceiveMessage failed: ${lastError}`, since: Math.min(failingSince ?? staleAt, staleAt) }
    if (now > staleAt) return { ok: false, reason: `no ReceiveMessage succeeded for ${Math.round((now - lastOk) / 1000)} s`, since: staleAt }
    return { ok: true, reason: `ReceiveMessage succeeded ${Math.round((now - lastOk) / 1000)} s ago`, since: okSince }
  }

  return {
    status,
    succeeded(at: number) {
      if (!status(at).ok) okSince = at
      lastOk = at
      lastError = undefined
      failingSince = undefined
    },
    /** `error` is the SDK's message: shown on /readyz, so bounded and scrubbed of anything shaped like a credential. */
    failed(at: number, error: string) {
      failingSince ??= at
      lastError = redactSecrets(error).slice(0, MAX_REASON)
    },
  }
}
