import type { NormalisedEvent } from '../intake/types.js'
import type { Evaluation } from '../rules/engine/evaluate.js'

/** What a replay counted: records, rejections by reason, and per rule matches, suppressions and top actors. */
export interface ReplaySummary {
  files: number
  bodies: number
  records: number
  skippedByTime: number
  rejected: Record<string, number>
  matches: Record<string, number>
  /** rule id → "exception reason" → count */
  suppressions: Record<string, Record<string, number>>
  /** rule id → actor → count */
  actors: Record<string, Record<string, number>>
  damagedFiles: Array<{ file: string, message: string }>
}

export const emptySummary = (): ReplaySummary => ({
  files: 0, bodies: 0, records: 0, skippedByTime: 0, rejected: {}, matches: {}, suppressions: {}, actors: {}, damagedFiles: [],
})

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n
}

/** Add one event's evaluation to the summary. Pure (mutates only the summary it is given). */
export function countEvaluation(summary: ReplaySummary, event: NormalisedEvent, evaluation: Evaluation): void {
  const actor = event.context.actor.arn ?? event.context.actor.name ?? 'unknown'
  for (const m of evaluation.matched) {
    bump(summary.matches, m.rule.id)
    bump((summary.actors[m.rule.id] ??= {}), actor)
  }
  for (const s of evaluation.suppressed) bump((summary.suppressions[s.rule.id] ??= {}), s.exception.reason)
}

const top = (m: Record<string, number>, n: number) => Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, n)

/** The summary as the lines `trailwarden replay` prints at the end. */
export function formatSummary(s: ReplaySummary): string {
  const lines = [
    `${s.records} records read from ${s.bodies} bodies in ${s.files} files${s.skippedByTime ? ` (${s.skippedByTime} outside --since/--until)` : ''}`,
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
  for (const [rule, byReason] of Object.entries(s.suppressions)) {
    for (const [reason, n] of Object.entries(byReason)) lines.push(`  suppressed ${rule}: ${n} by "${reason}"`)
  }
  return `${lines.join('\n')}\n`
}
