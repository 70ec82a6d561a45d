import { POLL_FRESHNESS_MS } from '../sources/sqs/pollStatus.js'

/** What /readyz reports: each check by name, and which failed. */
export interface ReadinessReport {
  ready: boolean
  checks: Array<{ name: string, ok: boolean, detail: string }>
  /** Worth a look, but not a reason to stop sending traffic (the bus rule drifting from the rules). */
  warnings: string[]
}

/**
 * Readiness: rules loaded, SQS polled recently, Slack's auth.test passed (when Slack is configured), and no channel
 * stuck on a configuration error. Mutable state fed by the daemon's parts; `report` is pure given `now`.
 */
export class Readiness {
  rulesLoaded = false
  rulesDetail = 'not loaded'
  lastPollOk: number | undefined
  lastPollError: string | undefined
  slack: 'unconfigured' | 'unknown' | 'ok' | 'failed' = 'unconfigured'
  slackDetail = ''
  readonly channelProblems = new Map<string, string>()
  warnings: string[] = []

  report(now: number): ReadinessReport {
    // The last attempt must have succeeded, and recently: a long poll returns at least every 20 s.
    const pollOk = this.lastPollError === undefined && this.lastPollOk !== undefined && now - this.lastPollOk <= POLL_FRESHNESS_MS
    const checks = [
      { name: 'rules', ok: this.rulesLoaded, detail: this.rulesDetail },
      {
        name: 'sqs',
        ok: pollOk,
        detail: pollOk ? 'polled within 60 s' : this.lastPollError ? `last poll failed: ${this.lastPollError}` : 'no successful poll within 60 s',
      },
    ]
    if (this.slack !== 'unconfigured') checks.push({ name: 'slack', ok: this.slack === 'ok', detail: this.slackDetail || this.slack })
    if (this.channelProblems.size > 0)
      checks.push({ name: 'slack-channels', ok: false, detail: [...this.channelProblems].map(([ch, code]) => `${ch}: ${code}`).join(', ') })
    return { ready: checks.every((c) => c.ok), checks, warnings: this.warnings }
  }
}
