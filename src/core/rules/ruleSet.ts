import type { CompiledRule } from './compileRule.js'

/** Compiled rules with an index by eventSource/eventName, so cost does not grow with rules that cannot match. */
export interface RuleSet {
  readonly rules: readonly CompiledRule[]
  /** sha256 of the rule files, logged at every load so a deploy can be traced to a commit. */
  readonly hash: string
  /** The rules whose literal eventSource/eventName lists admit this call (and every rule without such lists). */
  candidatesFor(eventSource: string, eventName: string): readonly CompiledRule[]
}

/** Bound on cached (eventSource, eventName) pairs: a flood of invented event names must not grow memory. */
const MAX_CACHED_PAIRS = 4096

export function createRuleSet(rules: readonly CompiledRule[], hash: string): RuleSet {
  const cache = new Map<string, readonly CompiledRule[]>()
  const compute = (source: string, name: string) =>
    rules.filter((r) => (!r.eventSources || r.eventSources.includes(source)) && (!r.eventNames || r.eventNames.includes(name)))
  return {
    rules,
    hash,
    candidatesFor(source, name) {
      const key = `${source}\n${name}`
      let hit = cache.get(key)
      if (!hit) {
        hit = compute(source, name)
        if (cache.size < MAX_CACHED_PAIRS) cache.set(key, hit)
      }
      return hit
    },
  }
}
