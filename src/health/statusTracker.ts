import type { ComponentStatus } from './componentStatus.js'

/**
 * Keeps a component's status with the time `ok` last changed, so each component reports `since` the same way.
 * Owned and written by one component only; others read `status`.
 */
export class StatusTracker {
  #status: ComponentStatus

  constructor(ok: boolean, reason: string, at: number) {
    this.#status = { ok, reason, since: at }
  }

  set(ok: boolean, reason: string, at: number, warnings?: string[]): void {
    const since = ok === this.#status.ok ? this.#status.since : at
    this.#status = warnings ? { ok, reason, since, warnings } : { ok, reason, since }
  }

  get status(): ComponentStatus {
    return this.#status
  }
}
