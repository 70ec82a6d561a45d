import type { Alert } from '../core/alerts/alert.js'
import type { Metrics } from '../metrics/createMetrics.js'
import type { AnnounceOnce } from '../state/announceOnce.js'
import type { ActiveSet } from './activeSet.js'
import { createPipelineHeartbeat } from './pipelineHeartbeat.js'

/**
 * The pipeline heartbeat as the active set configures it: created, changed or removed by a reload (heartbeat.silentFor
 * and its channel live in trailwarden.yaml), checked on a timer a quarter of the silence long (at most a minute).
 */
export function createHeartbeatWatch(options: {
  notify: (alert: Alert, channel: string) => Promise<unknown>
  metrics: Metrics
  log: { warn(obj: object, msg: string): void }
  now: () => number
  /** Once per silence window across replicas (#19); absent: this process decides alone. */
  announce?: AnnounceOnce
}) {
  let current: { settings: NonNullable<ActiveSet['heartbeat']>, beat: ReturnType<typeof createPipelineHeartbeat>, timer: NodeJS.Timeout } | undefined
  const stop = () => {
    clearInterval(current?.timer)
    current = undefined
  }
  return {
    configure(settings: ActiveSet['heartbeat']) {
      if (JSON.stringify(settings) === JSON.stringify(current?.settings)) return
      stop()
      if (!settings) return
      const beat = createPipelineHeartbeat({
        silentForMs: settings.silentForMs,
        now: options.now,
        notify: async (alert) => {
          const send = () => options.notify(alert, settings.channel)
          // Another replica that said it (or is saying it) this window counts as said: this one turns silent too.
          if (options.announce) await options.announce(alert.ruleId, settings.silentForMs, send)
          else await send()
        },
        onSilentChange: (silent) => {
          options.metrics.pipelineSilent.set(silent ? 1 : 0)
          options.log.warn({ silent }, silent ? 'no CloudTrail event for heartbeat.silentFor' : 'CloudTrail events resumed')
        },
      })
      const timer = setInterval(() => void beat.check(), Math.min(60_000, settings.silentForMs / 4))
      timer.unref()
      current = { settings, beat, timer }
    },
    eventSeen(at: number) {
      current?.beat.eventSeen(at)
    },
    stop,
  }
}
