import type { NormalisedEvent } from '../intake/types.js'
import type { Match } from '../rules/engine/evaluate.js'
import type { Alert } from './alert.js'
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

/** A matched rule and its event → the alert every sink renders. Pure. */
export function buildAlert(match: Match, event: NormalisedEvent, accountAliases: Readonly<Record<string, { alias: string }>> = {}): Alert {
  const { rule, severity } = match
  const { record, context } = event
  const eventId = str(record.eventID)
  const alert: Alert = {
    ruleId: rule.id,
    title: rule.title,
    severity,
    description: rule.description,
    tags: rule.tags,
    eventKey: context.eventKey,
    recordDigest: sha256Hex(JSON.stringify(record), 16),
    eventName: record.eventName,
    eventSource: record.eventSource,
    eventTime: record.eventTime,
    actor: context.actor,
    ecs: context.ecs,
    details: requestDetails(record),
    conditions: describeConditions(rule.document.match),
    links: consoleLinks(context.region, eventId, context.ecs),
  }
  if (eventId) alert.eventId = eventId
  if (rule.runbook) alert.runbook = rule.runbook
  const sourceIp = str(record.sourceIPAddress)
  if (sourceIp) alert.sourceIp = sourceIp
  const userAgent = str(record.userAgent)
  if (userAgent) alert.userAgent = display(userAgent, 200)
  if (context.account) {
    alert.account = context.account
    const alias = Object.hasOwn(accountAliases, context.account) ? accountAliases[context.account]?.alias : undefined
    if (alias) alert.accountAlias = alias
  }
  if (context.region) alert.region = context.region
  if (context.env) alert.env = context.env
  const errorCode = str(record.errorCode)
  if (errorCode) alert.errorCode = errorCode
  const errorMessage = str(record.errorMessage)
  if (errorMessage) alert.errorMessage = redactSecrets(errorMessage)
  if (rule.dedup) alert.dedup = { key: dedupKeyOf(rule.dedup.by, event), windowMs: rule.dedup.windowMs }
  if (rule.notify) alert.notify = rule.notify
  return alert
}
