import type { Alert } from '../core/alerts/alert.js'
import { systemAlert } from '../core/alerts/systemAlert.js'

/**
 * CloudTrail → EventBridge delivery is best effort: a dead pipeline must not look like a quiet one. One alert when
 * no event has arrived for `silentForMs`, one when events resume.
 */
export function createPipelineHeartbeat(options: {
  silentForMs: number
  now: () => number
  notify: (alert: Alert) => Promise<void>
  onSilentChange?: (silent: boolean) => void
}) {
  const { silentForMs, now, notify } = options
  let lastEventAt = now()
  let silent = false
  let busy = false

  const synthetic = (kind: 'silent' | 'resumed', at: number): Alert => systemAlert({
    ruleId: `trailwarden-pipeline-${kind}`,
    title: kind === 'silent' ? `No CloudTrail events for ${Math.round(silentForMs / 60_000)} minutes` : 'CloudTrail events are arriving again',
    severity: kind === 'silent' ? 'high' : 'info',
    description:
      kind === 'silent'
        ? 'trailwarden has received no event from its queue. Check the EventBridge rule (enabled? pattern?), its target and the queue policy, and that CloudTrail is logging.'
        : `Events resumed after ${Math.round((at - lastEventAt) / 60_000)} minutes of silence.`,
    eventName: kind === 'silent' ? 'PipelineSilent' : 'PipelineResumed',
    at,
    details: [['last event', new Date(lastEventAt).toISOString()]],
    conditions: [`no event for ${Math.round(silentForMs / 1000)} s`],
  })

  return {
    /** Call for every event read. */
    eventSeen(at: number) {
      if (silent && !busy) {
        busy = true
        const alert = synthetic('resumed', at)
        void notify(alert).then(() => {
          silent = false
          options.onSilentChange?.(false)
        }, () => undefined).finally(() => {
          busy = false
        })
      }
      lastEventAt = at
    },
    /** Call periodically. */
    async check(): Promise<void> {
      if (silent || busy || now() - lastEventAt < silentForMs) return
      busy = true
      try {
        await notify(synthetic('silent', now()))
        silent = true
        options.onSilentChange?.(true)
      } catch {
        // Not delivered: the next check tries again.
      } finally {
        busy = false
      }
    },
    isSilent: () => silent,
  }
}
