import type { Alert } from '../core/alerts/alert.js'
import type { Target } from '../core/alerts/routeAlert.js'
import type { ComponentStatus } from '../health/componentStatus.js'

export interface DeliveryOutcome {
  /**
   * posted: a new message; threaded: a reply under an earlier alert with the same dedup key; digested: counted in
   * a storm digest; duplicate: already delivered (SQS redelivery); fallback: posted to the fallback channel instead.
   */
  status: 'posted' | 'threaded' | 'digested' | 'duplicate' | 'fallback'
  channel: string
  ts?: string
}

/** The sink settings a reload may change without a restart, from trailwarden.yaml's `slack` section (daemon/activeSet.ts). */
export interface SinkSettings {
  fallbackChannel?: string | undefined
  /** Alerts a minute per channel before the channel switches to digests. */
  stormThreshold: number
  /** Posts per channel per second. */
  perChannelPerSecond: number
  /** The user-group handles the routes and rules mention (`platform-oncall`): the Slack sink resolves them on each configure. */
  mentionHandles?: string[] | undefined
}

/** Where alerts go. deliver resolves once the alert is accepted, or rejects with a DeliveryError. */
export interface AlertSink {
  readonly name: string
  deliver(alert: Alert, target: Target): Promise<DeliveryOutcome>
  /** Finish what is queued (digests included) and stop timers. */
  close(): Promise<void>
  /** Apply reloaded settings; deliveries already queued keep their turn. Sinks without settings omit it. */
  configure?(settings: SinkSettings): void
  /** Check once that the sink can deliver at all (Slack: auth.test); the result shows in status(). */
  verify?(): Promise<ComponentStatus>
  /** For readiness: read-only, never a secret, a workspace or a bot name. Sinks that cannot fail omit it. */
  status?(now: number): ComponentStatus
}

/** Counters a sink reports to; the daemon wires them to Prometheus. */
export interface SinkMetrics {
  delivered?(channel: string, status: DeliveryOutcome['status']): void
  failed?(channel: string, kind: string, code: string): void
  rateLimited?(channel: string): void
}
