import type { CompiledException, CompiledRule } from './compileRule.js'
import { ConditionTable, type EventMatcher } from './eventMatcher.js'
import type { Severity } from '../language/ruleSchema.js'
import { memoize } from '../../memoize.js'

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
  /** Bytes the (eventSource, eventName) cache holds: bounded, whatever names events invent. */
  retainedBytes(): number
}

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
  const compute = (source: string, name: string) =>
    prepared.filter(({ rule: r }) => (!r.eventSources || r.eventSources.includes(source)) && (!r.eventNames || r.eventNames.includes(name)))
  // Bounded in bytes (a flood of invented event names, 100 KB each, must not grow memory): real pairs are short and
  // few, so 2 MiB keeps thousands of them; a list holds 8 bytes a rule.
  const cached = memoize(
    (key: string) => {
      const cut = key.indexOf('\n')
      return compute(key.slice(0, cut), key.slice(cut + 1))
    },
    { maxBytes: 2 * 1024 * 1024, maxKeyLength: 512, sizeOf: (list) => 16 + list.length * 8 },
  )
  // eventSource is a service's host name (no newline), so the first newline splits the key.
  const preparedFor = (source: string, name: string): readonly PreparedRule[] =>
    source.includes('\n') ? compute(source, name) : cached(`${source}\n${name}`)
  return {
    rules,
    hash,
    conditions,
    retainedBytes: () => cached.retainedBytes,
    preparedFor,
    candidatesFor: (source, name) => preparedFor(source, name).map((p) => p.rule),
  }
}
