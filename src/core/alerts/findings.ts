import type { Alert, Finding } from './alert.js'

/** One alert's own finding: the rule's part of it, without the event's facts. */
export function findingOf(alert: Alert): Finding {
  const f: Finding = {
    ruleId: alert.ruleId, title: alert.title, severity: alert.severity, description: alert.description, tags: alert.tags, conditions: alert.conditions,
  }
  if (alert.runbook !== undefined) f.runbook = alert.runbook
  if (alert.dedup) f.dedup = alert.dedup
  if (alert.notify) f.notify = alert.notify
  return f
}

/** Every finding of an alert, the leading one first (a grouped alert's `also` after it). */
export const findingsOf = (alert: Alert): Finding[] => [findingOf(alert), ...(Array.isArray(alert.also) ? alert.also : [])]

/** The rule ids of an alert, the leading one first. */
export const ruleIdsOf = (alert: Alert): string[] => findingsOf(alert).map((f) => f.ruleId)

/**
 * The alert of the same event with exactly these findings (the first leads): a grouped alert split by the sink (a
 * finding whose dedup thread is live replies there) or counted finding by finding (a storm digest).
 */
export function withFindings(alert: Alert, findings: readonly Finding[]): Alert {
  const [lead, ...rest] = findings
  if (!lead) return alert
  const out: Alert = { ...alert, ruleId: lead.ruleId, title: lead.title, severity: lead.severity, description: lead.description, tags: lead.tags }
  out.conditions = lead.conditions
  delete out.also
  delete out.runbook
  delete out.dedup
  delete out.notify
  if (lead.runbook !== undefined) out.runbook = lead.runbook
  if (lead.dedup) out.dedup = lead.dedup
  if (lead.notify) out.notify = lead.notify
  if (rest.length > 0) out.also = [...rest]
  return out
}
