/** One change in a service's (or task definition family's) history, as `trailwarden history` shows it. */
export interface HistoryRow {
  /** The event's eventTime, as CloudTrail wrote it (ISO 8601, UTC). */
  time: string
  region: string
  account: string
  /** cluster/service the call acted on, else `task definition family:rev` for a call on a task definition. */
  service: string
  eventName: string
  /** The person behind the call where the record says (an SSO session's user, a source identity), else the role or user. */
  actor: string
  /** console, CLI, SDK, IaC (terraform, …), pipeline (…), AWS service. */
  how: string
  /** What changed, in words: task definition revision, image, desired count, network, exec. */
  change: string
  sourceIp: string
  eventId: string
  /** The call's errorCode: it was attempted and refused, nothing changed. */
  errorCode?: string
}
