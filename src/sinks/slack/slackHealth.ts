import type { ComponentStatus } from '../../health/componentStatus.js'

type Auth = { state: 'unchecked' } | { state: 'ok' } | { state: 'failed', code: string }

/**
 * What the Slack sink says about itself for /readyz: the token (auth.test, or any delivery since: a post that went
 * through proves the token) and the channels stuck on a configuration error until a delivery to them succeeds.
 * Reasons name the failing check and Slack's error code only — never the workspace or the bot (#16: /readyz told
 * them to anyone who could reach the port).
 */
export class SlackHealth {
  private auth: Auth = { state: 'unchecked' }
  private readonly channelProblems = new Map<string, string>()
  private ok = false
  private since: number

  constructor(private readonly now: () => number) {
    this.since = now()
  }

  authChecked(result: { ok: true } | { ok: false, code: string }): void {
    this.auth = result.ok ? { state: 'ok' } : { state: 'failed', code: result.code }
    this.changed()
  }

  channelFailed(channel: string, code: string): void {
    this.channelProblems.set(channel, code)
    this.changed()
  }

  channelDelivered(channel: string): void {
    this.channelProblems.delete(channel)
    this.auth = { state: 'ok' }
    this.changed()
  }

  /** Read-only: `since` is when `ok` last changed, set as the changes happen. */
  status(): ComponentStatus {
    const problems = [
      ...(this.auth.state === 'unchecked' ? ['auth.test not run yet'] : []),
      ...(this.auth.state === 'failed' ? [`auth.test failed: ${this.auth.code}`] : []),
      ...[...this.channelProblems].map(([channel, code]) => `${channel}: ${code}`),
    ]
    return { ok: this.ok, reason: problems.length === 0 ? 'token accepted; no channel failing' : problems.join('; '), since: this.since }
  }

  private changed(): void {
    const ok = this.auth.state === 'ok' && this.channelProblems.size === 0
    if (ok !== this.ok) {
      this.ok = ok
      this.since = this.now()
    }
  }
}
