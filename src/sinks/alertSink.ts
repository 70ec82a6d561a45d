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

/** What a sink takes from the config; a reload hands it over with `configure`. */
export interface SinkSettings {
  fallbackChannel?: string | undefined
  stormThreshold: number
  perChannelPerSecond: number
}

/** Where alerts go. deliver resolves once the alert is accepted, or rejects with a DeliveryError. */
export interface AlertSink {
  readonly name: string
  deliver(alert: Alert, target: Target): Promise<DeliveryOutcome>
  /** Finish what is queued (digests included) and stop timers. */
  close(): Promise<void>
  /** A reload changed the sink's settings (fallback channel, storm threshold, pace). */
  configure?(settings: SinkSettings): void
  /** Check the credentials once (Slack's auth.test); the result shows in status. */
  verify?(): Promise<void>
  /** What readiness reads: credentials and channels stuck on a configuration error. */
  status?(now: number): ComponentStatus
}

/** Counters a sink reports to; the daemon wires them to Prometheus. */
export interface SinkMetrics {
  delivered?(channel: string, status: DeliveryOutcome['status']): void
  failed?(channel: string, kind: string, code: string): void
  rateLimited?(channel: string): void
}
