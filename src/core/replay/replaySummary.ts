import type { Decision } from '../decide/decide.js'

/** What a replay counted: records, rejections by reason, and per rule matches, suppressions and top actors. */
export interface ReplaySummary {
  files: number
  bodies: number
  records: number
  skippedByTime: number
  rejected: Record<string, number>
  /** rule id → alerts (what would be notified) */
  matches: Record<string, number>
  /** rule id → matches of a `mode: shadow` rule (counted, never notified) */
  shadowed: Record<string, number>
  /** events whose evaluation failed (a defect) */
  failed: number
  /** rule id → "exception reason" → count */
  suppressions: Record<string, Record<string, number>>
  /** rule id → actor → count */
  actors: Record<string, Record<string, number>>
  damagedFiles: Array<{ file: string, message: string }>
}

export const emptySummary = (): ReplaySummary => ({
  files: 0, bodies: 0, records: 0, skippedByTime: 0, rejected: {}, matches: {}, shadowed: {}, failed: 0, suppressions: {}, actors: {}, damagedFiles: [],
})

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n
}

/** Add one decision (one event's, or a batch's) to the summary. Pure (mutates only the summary it is given). */
export function countDecision(summary: ReplaySummary, decision: Decision): void {
  for (const { alert, event } of decision.alerts) {
    bump(summary.matches, alert.ruleId)
    bump((summary.actors[alert.ruleId] ??= {}), event.context.actor.arn ?? event.context.actor.name ?? 'unknown')
  }
  for (const s of decision.shadowed) bump(summary.shadowed, s.rule.id)
  for (const s of decision.suppressed) bump((summary.suppressions[s.rule.id] ??= {}), s.exception.reason)
  summary.failed += decision.failed.length
}

const top = (m: Record<string, number>, n: number) => Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, n)

/**
 * The summary as the lines `trailwarden replay` prints at the end. `header` replaces the first line (what was read)
 * for a source that has no files (`trailwarden audit` over Event history).
 */
export function formatSummary(s: ReplaySummary, header?: string): string {
  const lines = [
    header ?? `${s.records} records read from ${s.bodies} bodies in ${s.files} files${s.skippedByTime ? ` (${s.skippedByTime} outside --since/--until)` : ''}`,
  ]
  const rejected = Object.entries(s.rejected)
  if (rejected.length) lines.push(`rejected: ${rejected.map(([r, n]) => `${r} ${n}`).join(', ')}`)
  for (const d of s.damagedFiles) lines.push(`damaged: ${d.file}: ${d.message}`)
  const rules = top(s.matches, 1000)
  lines.push(rules.length ? 'matches per rule:' : 'no rule matched')
  for (const [rule, n] of rules) {
    const actors = top(s.actors[rule] ?? {}, 3).map(([a, c]) => `${a} ×${c}`).join(', ')
    lines.push(`  ${rule}: ${n} (top actors: ${actors})`)
  }
  for (const [rule, n] of top(s.shadowed, 1000)) lines.push(`  shadow ${rule}: ${n} (mode: shadow, not notified)`)
  if (s.failed) lines.push(`${s.failed} events could not be evaluated (a defect: please report it)`)
  for (const [rule, byReason] of Object.entries(s.suppressions)) {
    for (const [reason, n] of Object.entries(byReason)) lines.push(`  suppressed ${rule}: ${n} by "${reason}"`)
  }
  return `${lines.join('\n')}\n`
}
