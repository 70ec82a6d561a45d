/**
 * What one part of the daemon says about itself, read-only: the SQS source, the Slack sink, the active rule set, the
 * bus-rule check. `/readyz` composes these; no part writes into another's state.
 */
export interface ComponentStatus {
  /** false: the daemon is not ready while this holds. */
  ok: boolean
  /** What an operator needs to fix it (or what is fine). Never a secret, a workspace name or a bot name. */
  reason: string
  /** When `ok` last changed (ms since the epoch). */
  since: number
  /** Worth a look but no reason to stop traffic (a drifting bus rule). */
  warnings?: string[]
}

/** A component whose status the daemon's readiness reads. */
export interface HasStatus {
  readonly name: string
  status(now: number): ComponentStatus
}
