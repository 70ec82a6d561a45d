import { loadRuleBundle, type RuleLocation } from '../config/loadRules.js'
import { formatProblem } from '../core/rules/language/yamlSource.js'
import { runRuleTests } from '../core/rules/ruleTests/runRuleTests.js'
import { activeSetOf, type ActiveSet } from './activeSet.js'

export interface ActiveSetFacts {
  /** SLACK_BOT_TOKEN is set (and not --dry-run): alerts go to Slack, so they need a default channel. */
  slack: boolean
}

interface Counts {
  /** Every problem, one line each (`file:line:col rule-id: what — fix`); empty when the set is usable. */
  problems: string[]
  warnings: string[]
  files: number
  /** Of the files, the lists files. */
  listsFiles?: number
  /** Valid rules (0 when the files do not compile). */
  rules: number
  hash?: string | undefined
}

export type ActiveSetOutcome = ({ ok: true, active: ActiveSet } | { ok: false }) & Counts

/**
 * Every check a rule set and config must pass to be used — at start, on every reload, and in `trailwarden validate`
 * (so validate fails exactly where run would refuse, with the same words): the files can be read and parse, the
 * schema holds, cross-references resolve, every rule test passes (a lapsed one is a warning), and the config fits the environment it runs in.
 */
export async function loadActiveSet(location: RuleLocation, facts: ActiveSetFacts): Promise<ActiveSetOutcome> {
  const bundle = await loadRuleBundle(location)
  const counts: Counts = {
    problems: bundle.problems.filter((p) => p.severity === 'error').map(formatProblem),
    warnings: bundle.problems.filter((p) => p.severity === 'warning').map(formatProblem),
    files: bundle.files,
    listsFiles: bundle.listsFiles,
    rules: bundle.ruleSet?.rules.length ?? 0,
    hash: bundle.ruleSet?.hash,
  }
  if (!bundle.ruleSet || counts.problems.length > 0) return { ok: false, ...counts }
  const report = runRuleTests(bundle.ruleSet, { now: location.now ?? Date.now(), settings: bundle.settings, eventFiles: bundle.eventFiles })
  for (const c of report.cases) if (c.status === 'failed') counts.problems.push(`${c.rule.file} ${c.rule.id}: test "${c.name}" failed: ${c.reason}`)
  // A lapsed test passed while its exception applied: the clock alone must not stop the daemon (issue 18).
  for (const c of report.cases) {
    if (c.status === 'lapsed') counts.warnings.push(`${c.rule.file} ${c.rule.id}: warning: test "${c.name}" lapsed: ${c.reason} — extend expires if the exception is still needed; otherwise remove it with this test`)
  }
  for (const u of report.untested) counts.problems.push(`${u.rule.file} ${u.rule.id}: no ${u.missing.join(' and no ')} test case — add one under tests:`)
  if (facts.slack && !bundle.config.slack.defaultChannel) {
    counts.problems.push(`${location.configPath ?? 'trailwarden.yaml (TRAILWARDEN_CONFIG is not set)'}: SLACK_BOT_TOKEN is set but slack.defaultChannel is not: alerts that match no route would have nowhere to go — set slack.defaultChannel in trailwarden.yaml or TRAILWARDEN_SLACK_DEFAULT_CHANNEL`)
  }
  if (counts.problems.length > 0) return { ok: false, ...counts }
  return { ok: true, active: activeSetOf(bundle.ruleSet, bundle.config, bundle.settings), ...counts }
}
