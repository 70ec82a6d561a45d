import type { NormalisedEvent } from '../intake/types.js'

/** What a silence covers besides its rule: one service (of one cluster), one cluster, or one actor. */
export type SilenceScopeKind = 'service' | 'cluster' | 'actor'

export interface SilenceScope {
  kind: SilenceScopeKind
  /** For 'service' and 'cluster': the cluster's name as the normalised context gives it (ecs.cluster). */
  cluster?: string
  /** For 'service': the service's name (ecs.service). */
  service?: string
  /** For 'actor': the caller's ARN (actor.arn). */
  actorArn?: string
}

/**
 * A silence made from an alert in Slack: the rule's alerts for one scope are suppressed until `expiresAt`, exactly as
 * an exception suppresses them (counted, never notified, the SQS message still acknowledged). Stored in the shared
 * state store, so every replica applies it; `trailwarden silences export` turns it into an exception for git.
 */
export interface Silence {
  /** 16 hex characters. */
  id: string
  ruleId: string
  scope: SilenceScope
  reason: string
  /** The Slack user id of whoever made it. */
  author: string
  createdAt: number
  /** The first instant (ms) the silence no longer applies. */
  expiresAt: number
  /** The alert message it was made from: where it shows, and where its end is announced. */
  message?: { channel: string, ts: string, ref: string }
  /** Set by Undo: the silence no longer applies from `at`. */
  undone?: { by: string, at: number }
}

export const isActive = (s: Silence, now: number): boolean => s.undone === undefined && s.expiresAt > now

/** Whether a silence covers this rule's match of this event (the same fields its exported exception matches). */
export function silenceCovers(s: Silence, ruleId: string, event: NormalisedEvent): boolean {
  if (s.ruleId !== ruleId) return false
  const { ecs, actor } = event.context
  switch (s.scope.kind) {
    case 'service': return s.scope.cluster !== undefined && s.scope.service !== undefined && ecs.cluster === s.scope.cluster && ecs.service === s.scope.service
    case 'cluster': return s.scope.cluster !== undefined && ecs.cluster === s.scope.cluster
    case 'actor': return s.scope.actorArn !== undefined && actor.arn === s.scope.actorArn
  }
}

/** The first active silence that covers a match, if any. Pure: the caller passes the silences and the time. */
export function silenceFor(silences: readonly Silence[], ruleId: string, event: NormalisedEvent, now: number): Silence | undefined {
  for (const s of silences) if (isActive(s, now) && silenceCovers(s, ruleId, event)) return s
  return undefined
}

/** The scope in words, for messages and the export's comments (values are untrusted: callers escape them). */
export function scopeWords(scope: SilenceScope): string {
  switch (scope.kind) {
    case 'service': return `service ${scope.cluster ?? '?'}/${scope.service ?? '?'}`
    case 'cluster': return `cluster ${scope.cluster ?? '?'}`
    case 'actor': return `actor ${scope.actorArn ?? '?'}`
  }
}
