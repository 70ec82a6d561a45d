import type { Alert } from '../alerts/alert.js'
import { asText } from '../alerts/asText.js'
import { sha256Hex } from '../digest.js'
import type { EventContext } from '../intake/types.js'
import type { SilenceScope, SilenceScopeKind } from './silence.js'

/** Longest scope value kept (an IAM role session ARN is at most about 2,100 characters): longer ones are not offered. */
const MAX_VALUE = 2_048

/**
 * What a click on an alert's buttons needs to know about it, kept in the state store under its ref: a button's value
 * carries only the ref, never event text. Values come from the alert (already redacted) and are bounded.
 */
export interface AlertScopes {
  ruleId: string
  /** The rule's title (trusted text from the rule file). */
  title: string
  cluster?: string
  service?: string
  actorArn?: string
}

const keep = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= MAX_VALUE ? v : undefined)

/**
 * The scopes are read from the event's normalised context when it is given — the exact values a silence is compared
 * with (silence.ts) — not from the alert, whose values are redacted and bounded for display and might then never
 * match. Whoever shows them redacts them (actionBlocks.ts).
 */
export function alertScopes(alert: Alert, context?: Pick<EventContext, 'ecs' | 'actor'>): AlertScopes {
  const scopes: AlertScopes = { ruleId: asText(alert.ruleId).slice(0, 200), title: asText(alert.title).slice(0, 150) }
  const from = context ?? alert
  const cluster = keep(from.ecs.cluster)
  const service = keep(from.ecs.service)
  const actorArn = keep(from.actor.arn)
  if (cluster) scopes.cluster = cluster
  if (service) scopes.service = service
  if (actorArn) scopes.actorArn = actorArn
  return scopes
}

/** The scope of a kind the alert can be silenced by, or undefined when the alert does not name it. */
export function scopeOf(scopes: AlertScopes, kind: SilenceScopeKind): SilenceScope | undefined {
  if (kind === 'service') return scopes.cluster && scopes.service ? { kind, cluster: scopes.cluster, service: scopes.service } : undefined
  if (kind === 'cluster') return scopes.cluster ? { kind, cluster: scopes.cluster } : undefined
  return scopes.actorArn ? { kind, actorArn: scopes.actorArn } : undefined
}

/** The kinds of scope an alert offers, most specific first. */
export const offeredScopes = (scopes: AlertScopes): SilenceScopeKind[] =>
  (['service', 'cluster', 'actor'] as const).filter((k) => scopeOf(scopes, k) !== undefined)

/** An alert's ref: 16 hex characters of SHA-256 over its identity (event, rule, record digest). What buttons carry. */
export const alertRef = (alert: Pick<Alert, 'eventKey' | 'ruleId' | 'recordDigest'>): string =>
  sha256Hex(`${asText(alert.eventKey)}\n${asText(alert.ruleId)}\n${asText(alert.recordDigest)}`, 16)

export const REF = /^[0-9a-f]{16}$/
