import type { CompiledException, CompiledRule } from './compileRule.js'
import { ConditionTable, type EventMatcher } from './eventMatcher.js'
import type { Severity } from '../language/ruleSchema.js'

/** A rule with its patterns prepared for matching many events (see eventMatcher.ts). */
export interface PreparedRule {
  rule: CompiledRule
  match: EventMatcher
  exceptions: Array<{ exception: CompiledException, match: EventMatcher }>
  escalations: Array<{ severity: Severity, match: EventMatcher }>
}

/** Compiled rules with an index by eventSource/eventName, so cost does not grow with rules that cannot match. */
export interface RuleSet {
  readonly rules: readonly CompiledRule[]
  /** sha256 of the rule files, logged at every load so a deploy can be traced to a commit. */
  readonly hash: string
  /** The rules whose literal eventSource/eventName lists admit this call (and every rule without such lists). */
  candidatesFor(eventSource: string, eventName: string): readonly CompiledRule[]
  /** The same rules, prepared; the fields the index decided are not tested again. */
  preparedFor(eventSource: string, eventName: string): readonly PreparedRule[]
  /** The top-level conditions of every rule, shared, each answered at most once per event (eventMatcher.ts). */
  readonly conditions: ConditionTable
}

/** Bound on cached (eventSource, eventName) pairs: a flood of invented event names must not grow memory. */
const MAX_CACHED_PAIRS = 4096
/**
 * Real eventSources and eventNames are short (the longest ECS API name is under 40 characters); a pair longer than
 * this is answered but never cached, so 4,096 entries hold at most about 1 MB of keys (issue 16: 100 KB names).
 */
const MAX_CACHED_KEY = 256

function prepare(rule: CompiledRule, conditions: ConditionTable): PreparedRule {
  // A literal-only eventSource / eventName list is exactly what candidatesFor checks.
  const decided = new Set<string>()
  if (rule.eventSources) decided.add('eventSource')
  if (rule.eventNames) decided.add('eventName')
  return {
    rule,
    match: conditions.compile(rule.match, decided),
    exceptions: rule.exceptions.map((exception) => ({ exception, match: conditions.compile(exception.match) })),
    escalations: rule.escalations.map((e) => ({ severity: e.severity, match: conditions.compile(e.match) })),
  }
}

export function createRuleSet(rules: readonly CompiledRule[], hash: string): RuleSet {
  const conditions = new ConditionTable()
  const prepared = rules.map((r) => prepare(r, conditions))
  const cache = new Map<string, readonly PreparedRule[]>()
  const compute = (source: string, name: string) =>
    prepared.filter(({ rule: r }) => (!r.eventSources || r.eventSources.includes(source)) && (!r.eventNames || r.eventNames.includes(name)))
  const preparedFor = (source: string, name: string): readonly PreparedRule[] => {
    const key = `${source}\n${name}`
    let hit = cache.get(key)
    if (!hit) {
      hit = compute(source, name)
      if (cache.size < MAX_CACHED_PAIRS && key.length <= MAX_CACHED_KEY) cache.set(key, hit)
    }
    return hit
  }
  return {
    rules,
    hash,
    conditions,
    preparedFor,
    candidatesFor: (source, name) => preparedFor(source, name).map((p) => p.rule),
  }
}
