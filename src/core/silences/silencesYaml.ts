import { stringify } from 'yaml'
import { clean } from '../alerts/mrkdwn.js'
import { isActive, type Silence, scopeWords } from './silence.js'

/** The exception pattern that matches what a silence covers: the same fields silenceCovers compares. */
export function silenceMatch(s: Silence): Record<string, string[]> {
  switch (s.scope.kind) {
    case 'service': return { 'ecs.cluster': [s.scope.cluster ?? ''], 'ecs.service': [s.scope.service ?? ''] }
    case 'cluster': return { 'ecs.cluster': [s.scope.cluster ?? ''] }
    case 'actor': return { 'actor.arn': [s.scope.actorArn ?? ''] }
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * One silence as an exception of its rule (rules/README.md: `unless`), so a decision made in Slack lands in git review.
 * An exception's `expires` is a day (it applies through that day, UTC); the silence's exact end is in the reason.
 */
export function silenceException(s: Silence): { reason: string, expires: string, match: Record<string, string[]> } {
  return {
    reason: `${s.reason} (silenced in Slack by ${s.author} on ${iso(s.createdAt)} until ${iso(s.expiresAt)})`,
    expires: iso(s.expiresAt - 1).slice(0, 10),
    match: silenceMatch(s),
  }
}

/**
 * The active silences as YAML: a mapping from rule id to the exceptions to paste under that rule's `unless:`. Pure:
 * the caller passes the time; the output is valid YAML whatever the values hold (the library quotes them).
 */
export function silencesYaml(silences: readonly Silence[], now: number): string {
  const active = silences.filter((s) => isActive(s, now)).sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.createdAt - b.createdAt)
  const header = [
    `# trailwarden silences export, ${iso(now)}: ${active.length} active silence${active.length === 1 ? '' : 's'}.`,
    '# Each rule id maps to exceptions: paste them under that rule\'s `unless:` in its rule file and open a pull request.',
    '',
  ].join('\n')
  if (active.length === 0) return `${header}{}\n`
  // A Map, not an object: a rule id read back from the store can never reach Object.prototype.
  const byRule = new Map<string, Array<ReturnType<typeof silenceException>>>()
  for (const s of active) byRule.set(s.ruleId, [...(byRule.get(s.ruleId) ?? []), silenceException(s)])
  return `${header}${stringify(byRule, { lineWidth: 0 })}`
}

/** One line per active silence, for `trailwarden silences list`. */
export function silenceLine(s: Silence): string {
  return clean(`${s.id}  ${s.ruleId}  ${scopeWords(s.scope)}  until ${iso(s.expiresAt)}  by ${s.author}: ${s.reason}`, 3_000).replace(/[\r\n\t]+/g, ' ')
}
