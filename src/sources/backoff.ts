/**
 * Milliseconds to wait before attempt number `attempt` (1 for the first retry): exponential backoff with full
 * jitter — a uniform draw between 0 and min(cap, base · 2^(attempt−1)). Full jitter spreads clients that failed
 * together (every task of a service when the SQS endpoint blinks) instead of having them retry in lockstep
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 *
 * A pure function, for any loop that retries for ever: the caller keeps its own attempt count and resets it on
 * success. (p-retry and the like wrap one call that eventually gives up; a poll loop never does.)
 */
export function backoff(attempt: number, { baseMs, capMs }: { baseMs: number, capMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(random() * ceiling)
}
