import type { Actor, ActorType, EcsContext, Via } from '../intake/types.js'
import { SEVERITIES, type Severity } from '../rules/language/ruleSchema.js'
import type { Alert, Detail, Finding } from './alert.js'
import { asText, optionalText } from './asText.js'

/**
 * Any value as an Alert whose every field has its declared type. Renderers read the alert through this first, so a
 * field of the wrong type ({"toString": 1} where a string belongs, a list where an object belongs) renders as text
 * instead of throwing: an alert built by buildAlert already has the right types, and this is the guarantee for every
 * other caller (the library API, a sink's own alerts, a future field). It copies; it does not redact.
 */

type Show = (value: unknown) => string | undefined

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

const SEVERITY: ReadonlySet<string> = new Set(SEVERITIES)
const ACTOR_TYPES: ReadonlySet<string> = new Set<ActorType>(['Root', 'IAMUser', 'AssumedRole', 'FederatedUser', 'AWSService', 'AWSAccount', 'IdentityCenterUser', 'Unknown'])
const VIAS: ReadonlySet<string> = new Set<Via>(['console', 'cli', 'sdk', 'terraform', 'cloudformation', 'cdk', 'pulumi', 'service', 'unknown'])

/** An unreadable severity renders as high: louder than it may be, never quieter. */
export const asSeverity = (v: unknown): Severity => (typeof v === 'string' && SEVERITY.has(v) ? (v as Severity) : 'high')

export function asActor(value: unknown, show: Show = optionalText): Actor {
  const a = isObject(value) ? value : {}
  const actor: Actor = {
    type: typeof a.type === 'string' && ACTOR_TYPES.has(a.type) ? (a.type as ActorType) : 'Unknown',
    console: a.console === true,
    service: a.service === true,
    via: typeof a.via === 'string' && VIAS.has(a.via) ? (a.via as Via) : 'unknown',
  }
  for (const key of ['arn', 'account', 'name', 'role', 'session', 'sourceIdentity'] as const) {
    const v = show(a[key])
    if (v !== undefined) actor[key] = v
  }
  if (typeof a.mfa === 'boolean') actor.mfa = a.mfa
  return actor
}

export function asEcs(value: unknown, show: Show = optionalText): EcsContext {
  const e = isObject(value) ? value : {}
  const ecs: EcsContext = {}
  for (const key of ['cluster', 'service', 'taskDefinition', 'task'] as const) {
    const v = show(e[key])
    if (v !== undefined) ecs[key] = v
  }
  const container = Array.isArray(e.container)
    ? e.container.map(show).filter((c): c is string => c !== undefined)
    : show(e.container)
  if (container !== undefined && container.length > 0) ecs.container = container
  return ecs
}

export const asDetails = (value: unknown): Detail[] =>
  list(value).map((row): Detail => {
    const [label, v, from] = list(row)
    return from === 'event' ? [asText(label), asText(v), 'event'] : [asText(label), asText(v)]
  })

/** Only links trailwarden built: https, nothing that could end Slack's <url|label> syntax. */
const LINK = /^https:\/\/[^\s<>|]+$/
const link = (v: unknown): string | undefined => (typeof v === 'string' && LINK.test(v) ? v : undefined)

export function asAlert(value: unknown): Alert {
  const a = isObject(value) ? value : {}
  const links = isObject(a.links) ? a.links : {}
  const alert: Alert = {
    ruleId: asText(a.ruleId),
    title: asText(a.title),
    severity: asSeverity(a.severity),
    description: asText(a.description),
    tags: list(a.tags).map(asText),
    eventKey: asText(a.eventKey),
    recordDigest: asText(a.recordDigest),
    eventName: asText(a.eventName),
    eventSource: asText(a.eventSource),
    eventTime: asText(a.eventTime),
    actor: asActor(a.actor),
    ecs: asEcs(a.ecs),
    details: asDetails(a.details),
    conditions: list(a.conditions).map(asText),
    links: {},
  }
  const cloudtrail = link(links.cloudtrail)
  if (cloudtrail) alert.links.cloudtrail = cloudtrail
  const ecsLink = link(links.ecs)
  if (ecsLink) alert.links.ecs = ecsLink
  for (const key of ['runbook', 'eventId', 'sourceIp', 'userAgent', 'account', 'accountAlias', 'region', 'env', 'errorCode', 'errorMessage', 'incomplete'] as const) {
    const v = optionalText(a[key])
    if (v !== undefined) alert[key] = v
  }
  if (Array.isArray(a.changes)) alert.changes = list(a.changes).map(asText)
  if (isObject(a.dedup)) alert.dedup = { key: asText(a.dedup.key), windowMs: typeof a.dedup.windowMs === 'number' ? a.dedup.windowMs : 0 }
  if (isObject(a.notify)) {
    const notify: NonNullable<Alert['notify']> = {}
    const channel = optionalText(a.notify.channel)
    if (channel) notify.channel = channel
    const mention = optionalText(a.notify.mention)
    if (mention) notify.mention = mention
    alert.notify = notify
  }
  if (Array.isArray(a.also) && a.also.length > 0) alert.also = a.also.map(asFinding)
  return alert
}

/** One finding of a grouped alert, every field of its declared type (see asAlert). */
export function asFinding(value: unknown): Finding {
  const { ruleId, title, severity, description, tags, conditions, runbook, dedup, notify } = asAlert(isObject(value) ? { ...value, also: undefined } : {})
  const f: Finding = { ruleId, title, severity, description, tags, conditions }
  if (runbook !== undefined) f.runbook = runbook
  if (dedup) f.dedup = dedup
  if (notify) f.notify = notify
  return f
}
