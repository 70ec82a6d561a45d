import type { RuleLocation } from '../config/loadRules.js'
import { activeSetOf, type ActiveSet } from './activeSet.js'
import { loadActiveRules } from './loadActiveRules.js'

export interface ActiveSetFacts {
  /** SLACK_BOT_TOKEN is set (and not --dry-run): alerts go to Slack, so they need a default channel. */
  slack: boolean
}

export type ActiveSetOutcome = { ok: true, active: ActiveSet, warnings: string[] } | { ok: false, problems: string[], warnings: string[] }

/**
 * Every check a rule set and config must pass to be used — at start, on every reload, and in `trailwarden validate`
 * (so validate fails exactly where run would refuse, with the same words): the files parse, the schema holds,
 * cross-references resolve, every rule test passes, and the config fits the environment it runs in.
 */
export async function loadActiveSet(location: RuleLocation, facts: ActiveSetFacts): Promise<ActiveSetOutcome> {
  const loaded = await loadActiveRules(location)
  if (!loaded.ok) return { ok: false, problems: loaded.problems, warnings: [] }
  const { ruleSet, config, settings } = loaded.active
  const problems: string[] = []
  if (facts.slack && !config.slack.defaultChannel) {
    problems.push(`${location.configPath ?? 'trailwarden.yaml (none given)'}: SLACK_BOT_TOKEN is set but slack.defaultChannel is not: alerts that match no route would have nowhere to go — set slack.defaultChannel in trailwarden.yaml`)
  }
  if (problems.length > 0) return { ok: false, problems, warnings: loaded.warnings }
  return { ok: true, active: activeSetOf(ruleSet, config, settings), warnings: loaded.warnings }
}
