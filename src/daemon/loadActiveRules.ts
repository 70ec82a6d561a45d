import { loadRuleBundle, type RuleLocation } from '../config/loadRules.js'
import { runRuleTests } from '../core/rules/ruleTests/runRuleTests.js'
import { formatProblem, type LocatedProblem } from '../core/rules/language/yamlSource.js'
import type { ActiveRules } from './activeRules.js'

export type LoadOutcome = { ok: true, active: ActiveRules, warnings: string[] } | { ok: false, problems: string[] }

/**
 * Load, validate and test the rules: what the daemon does at start and on every reload. A set is only usable when
 * it has no errors and every rule test passes.
 */
export async function loadActiveRules(location: RuleLocation): Promise<LoadOutcome> {
  const bundle = await loadRuleBundle(location)
  const errors = bundle.problems.filter((p: LocatedProblem) => p.severity === 'error').map(formatProblem)
  const warnings = bundle.problems.filter((p) => p.severity === 'warning').map(formatProblem)
  if (!bundle.ruleSet || errors.length > 0) return { ok: false, problems: errors }
  const report = runRuleTests(bundle.ruleSet, {
    now: location.now ?? Date.now(),
    settings: bundle.settings,
    eventFiles: bundle.eventFiles,
  })
  if (report.failed > 0) {
    return {
      ok: false,
      problems: [
        ...report.cases.filter((c) => !c.passed).map((c) => `${c.rule.file} ${c.rule.id}: test "${c.name}" failed: ${c.reason ?? ''}`),
        ...report.untested.map((u) => `${u.rule.file} ${u.rule.id}: no ${u.missing.join(' and no ')} test case`),
      ],
    }
  }
  return { ok: true, active: { ruleSet: bundle.ruleSet, config: bundle.config, settings: bundle.settings }, warnings }
}
