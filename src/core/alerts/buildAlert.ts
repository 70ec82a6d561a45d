import type { NormalisedEvent } from '../intake/types.js'
import type { Match } from '../rules/engine/evaluate.js'
import type { Alert } from './alert.js'
import { asActor, asEcs, asSeverity } from './asAlert.js'
import { asText, bounded, optionalText, wellFormed } from './asText.js'
import { changeLines } from './renderChange.js'
import { consoleLinks } from './consoleLinks.js'
import { describeConditions } from './describeConditions.js'
import { redactSecrets } from './redact.js'
import { display, requestDetails } from './requestDetails.js'
import { sha256Hex } from '../digest.js'
import { nonEmptyString as str, valueAtPath } from '../json.js'

/** The dedup key: the values of the rule's dedup.by fields ("∅" for an absent one). */
export function dedupKeyOf(by: readonly string[], event: NormalisedEvent): string {
  return by.map((path) => {
    const v = valueAtPath(event.subject, path)
    return v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v)
  }).join(' | ')
}

/** An event-derived value as the alert shows it: well-formed text, secrets redacted, bounded; undefined when empty. */
function shown(value: unknown, max = 1000): string | undefined {
  if (value === undefined || value === null) return undefined
  const text = display(value, max)
  return text === '' ? undefined : text
}

/**
 * The dedup key as the alert carries it (sinks key threads by it; JSON output prints it): redacted and bounded. A long
 * key keeps its identity as a digest of the whole key, so two keys that share a long prefix still differ.
 */
function shownKey(key: string): string {
  if (key.length <= 500) return redactSecrets(wellFormed(key))
  return `${display(key, 200)} sha256:${sha256Hex(key, 16)}`
}

const describeError = (err: unknown): string => {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : asText(err)
  } catch {
    return 'unknown error'
  }
}

/**
 * A matched rule and its event → the alert every sink renders. Pure and total: any JSON value in any field of the
 * event (a wrong type, {"toString": 1}, a lone surrogate) gives an alert, never a throw. Each part is read on its own;
 * a part that still cannot be read is left out and named in `incomplete`, so the alert is delivered with the rest.
 * Every event-derived text is redacted here, once, so renderers, logs and JSON output all see the same safe values.
 * The identities stay as received: eventKey (idempotency) and the record digest.
 */
export function buildAlert(
  match: Match,
  event: NormalisedEvent,
  accountAliases: Readonly<Record<string, { alias: string }>> = {},
  /** SHA-256 of a text, first 16 hex characters. The edges pass node:crypto's (about ten times faster than the
   * pure-JS default on a 3 KB record: it was most of buildAlert's time in `replay`); both give the same digest. */
  digest: (text: string) => string = (text) => sha256Hex(text, 16),
): Alert {
  const problems: string[] = []
  const part = <T>(what: string, read: () => T, fallback: T): T => {
    try {
      return read()
    } catch (err) {
      problems.push(`${what} (${describeError(err)})`)
      return fallback
    }
  }
  const rule = part('rule', () => match.rule, undefined)
  const record = part('record', () => event.record, undefined)
  const context = part('context', () => event.context, undefined)
  const eventId = part('eventID', () => shown(str(record?.eventID), 200), undefined)
  const ecs = part('ECS resources', () => asEcs(context?.ecs, (v) => shown(v, 500)), {})
  const alert: Alert = {
    ruleId: part('rule id', () => asText(rule?.id), ''),
    title: part('rule title', () => asText(rule?.title), ''),
    severity: part('severity', () => asSeverity(match.severity), 'high'),
    description: part('rule description', () => asText(rule?.description), ''),
    tags: part('rule tags', () => (Array.isArray(rule?.tags) ? rule.tags.map(asText) : []), []),
    eventKey: part('event key', () => (typeof context?.eventKey === 'string' ? context.eventKey : asText(context?.eventKey)), ''),
    recordDigest: part('record digest', () => digest(JSON.stringify(record)), ''),
    eventName: part('eventName', () => shown(record?.eventName, 200) ?? '', ''),
    eventSource: part('eventSource', () => shown(record?.eventSource, 200) ?? '', ''),
    eventTime: part('eventTime', () => shown(record?.eventTime, 100) ?? '', ''),
    actor: part('actor', () => asActor(context?.actor, (v) => shown(v, 500)), asActor(undefined)),
    ecs,
    details: part('request parameters', () => (record ? requestDetails(record) : []), []),
    conditions: part('rule conditions', () => describeConditions(rule?.document.match), []),
    links: part('console links', () => consoleLinks(context?.region, eventId, ecs), {}),
  }
  if (eventId) alert.eventId = eventId
  const runbook = part('rule runbook', () => optionalText(rule?.runbook), undefined)
  if (runbook) alert.runbook = runbook
  const sourceIp = part('sourceIPAddress', () => shown(record?.sourceIPAddress, 200), undefined)
  if (sourceIp) alert.sourceIp = sourceIp
  const userAgent = part('userAgent', () => shown(record?.userAgent, 200), undefined)
  if (userAgent) alert.userAgent = userAgent
  part('account', () => {
    const account = shown(context?.account, 100)
    if (!account) return
    alert.account = account
    const alias = typeof context?.account === 'string' && Object.hasOwn(accountAliases, context.account)
      ? optionalText(accountAliases[context.account]?.alias)
      : undefined
    if (alias) alert.accountAlias = alias
  }, undefined)
  const region = part('region', () => shown(context?.region, 100), undefined)
  if (region) alert.region = region
  const env = part('environment', () => shown(context?.env, 200), undefined)
  if (env) alert.env = env
  const errorCode = part('errorCode', () => shown(record?.errorCode, 200), undefined)
  if (errorCode) alert.errorCode = errorCode
  const errorMessage = part('errorMessage', () => shown(record?.errorMessage, 2000), undefined)
  if (errorMessage) alert.errorMessage = errorMessage
  part('change', () => {
    const lines = changeLines(context?.change)
    if (lines) alert.changes = lines
  }, undefined)
  part('dedup', () => {
    if (rule?.dedup) alert.dedup = { key: shownKey(dedupKeyOf(rule.dedup.by, event)), windowMs: rule.dedup.windowMs }
  }, undefined)
  part('notify', () => {
    if (rule?.notify) alert.notify = rule.notify
  }, undefined)
  if (problems.length > 0) alert.incomplete = bounded(redactSecrets(problems.join('; ')), 500)
  return alert
}
