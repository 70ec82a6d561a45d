import type { Alert } from '../core/alerts/alert.js'
import type { Target } from '../core/alerts/routeAlert.js'

export interface DeliveryOutcome {
  /**
   * posted: a new message; threaded: a reply under an earlier alert with the same dedup key; digested: counted in
   * a storm digest; duplicate: already delivered (SQS redelivery); fallback: posted to the fallback channel instead.
   */
  status: 'posted' | 'threaded' | 'digested' | 'duplicate' | 'fallback'
  channel: string
  ts?: string
}

/** Where alerts go. deliver resolves once the alert is accepted, or rejects with a DeliveryError. */
export interface AlertSink {
  readonly name: string
  deliver(alert: Alert, target: Target): Promise<DeliveryOutcome>
  /** Finish what is queued (digests included) and stop timers. */
  close(): Promise<void>
}

/** Counters a sink reports to; the daemon wires them to Prometheus. */
export interface SinkMetrics {
  delivered?(channel: string, status: DeliveryOutcome['status']): void
  failed?(channel: string, kind: string, code: string): void
  rateLimited?(channel: string): void
}
