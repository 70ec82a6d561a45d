import type { HasStatus } from './componentStatus.js'

/** What /readyz answers: each component's check by name, and the warnings that do not stop traffic. */
export interface ReadinessReport {
  ready: boolean
  checks: Array<{ name: string, ok: boolean, reason: string, since: string }>
  warnings: string[]
}

/** Ready when every component says so. Pure given `now`; each component's status is read, never written. */
export function composeReadiness(components: readonly HasStatus[], now: number): ReadinessReport {
  const checks: ReadinessReport['checks'] = []
  const warnings: string[] = []
  for (const c of components) {
    const s = c.status(now)
    checks.push({ name: c.name, ok: s.ok, reason: s.reason, since: new Date(s.since).toISOString() })
    if (s.warnings) warnings.push(...s.warnings)
  }
  return { ready: checks.every((c) => c.ok), checks, warnings }
}
