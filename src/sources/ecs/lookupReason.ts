/**
 * Why a lookup failed, as the alert says it ("previous state unavailable: <reason>") and a metric labels it: the
 * error's class or code only (an AWS error message may quote the request), bounded.
 */
export function lookupReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timed out after ${timeoutMs} ms`
    if (err.name === 'CredentialsProviderError') return 'no AWS credentials'
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    const name = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(err.name) ? err.name : 'Error'
    return status === undefined ? name : `${name} (HTTP ${status})`
  }
  return 'unknown error'
}
