import type { NormalisedEvent } from '../../intake/types.js'
import { type CompiledException, type CompiledRule, type DatedException, isDated } from './compileRule.js'
import { explainNode, type Mismatch, matchNode } from '../pattern/evaluatePattern.js'
import type { Severity } from '../language/ruleSchema.js'
import type { RuleSet } from './ruleSet.js'
import { type ConditionMemo, type EventMatcher, matchEvent } from './eventMatcher.js'

export interface Suppression {
  rule: CompiledRule
  exception: CompiledException
}

export interface Match {
  rule: CompiledRule
  /** The rule's severity, or the first matching escalation's. */
  severity: Severity
}

export interface Evaluation {
  /** Rules that matched and were not suppressed, in rule-set order. */
  matched: Match[]
  suppressed: Suppression[]
}

/** The severity of a matched rule for this event: the first escalation whose pattern matches, else the rule's. */
export function severityFor(rule: CompiledRule, event: NormalisedEvent): Severity {
  for (const e of rule.escalations) if (matchNode(e.match, event.subject)) return e.severity
  return rule.severity
}

/** An exception whose `expires` date has passed at `now`. */
const expired = (e: CompiledException, now: number): e is DatedException => isDated(e) && now >= e.expiry.endsAt
const applies = (e: CompiledException, now: number) => !expired(e, now)

/** The exception that suppresses a matched rule for this event, if any. */
export function suppressingException(rule: CompiledRule, event: NormalisedEvent, now: number): CompiledException | undefined {
  return rule.exceptions.find((e) => applies(e, now) && matchNode(e.match, event.subject))
}

/**
 * Every rule against one event. Pure and total: whatever the event's shape, it returns.
 * `now` (ms) decides whether exceptions with an expiry still apply.
 */
export function evaluate(ruleSet: RuleSet, event: NormalisedEvent, now: number): Evaluation {
  const matched: Match[] = []
  const suppressed: Suppression[] = []
  const serviceCall = event.context.actor.service
  const { record, context } = event
  const memo: ConditionMemo = new Uint8Array(ruleSet.conditions.conjuncts.length)
  const holds = (m: EventMatcher) => matchEvent(m, record, context, memo)
  for (const p of ruleSet.preparedFor(record.eventSource, record.eventName)) {
    if (serviceCall && !p.rule.includesServiceActors) continue
    if (!holds(p.match)) continue
    const exception = p.exceptions.find((e) => applies(e.exception, now) && holds(e.match))
    if (exception) suppressed.push({ rule: p.rule, exception: exception.exception })
    else matched.push({ rule: p.rule, severity: p.escalations.find((e) => holds(e.match))?.severity ?? p.rule.severity })
  }
  return { matched, suppressed }
}

export type Verdict =
  | { rule: CompiledRule, outcome: 'matched', severity: Severity, expiredExceptions: DatedException[] }
  | { rule: CompiledRule, outcome: 'suppressed', exception: CompiledException }
  | { rule: CompiledRule, outcome: 'not-matched', mismatch: Mismatch }

export const SERVICE_MISMATCH: Mismatch = {
  field: 'actor.service',
  expected: 'a rule that names actor.service',
  actual: true,
}

/** Why one rule did or did not fire for this event (the rule tests ask this of each rule in turn). */
export function explainRule(rule: CompiledRule, event: NormalisedEvent, now: number): Verdict {
  const mismatch = explainNode(rule.match, event.subject)
  if (mismatch) return { rule, outcome: 'not-matched', mismatch }
  if (event.context.actor.service && !rule.includesServiceActors) return { rule, outcome: 'not-matched', mismatch: SERVICE_MISMATCH }
  const exception = suppressingException(rule, event, now)
  if (exception) return { rule, outcome: 'suppressed', exception }
  const expiredExceptions = rule.exceptions.filter((e): e is DatedException => expired(e, now) && matchNode(e.match, event.subject))
  return { rule, outcome: 'matched', severity: severityFor(rule, event), expiredExceptions }
}

/** Per rule, why it did or did not fire: what `trailwarden explain` prints. */
export function explain(ruleSet: RuleSet, event: NormalisedEvent, now: number, ruleId?: string): Verdict[] {
  return ruleSet.rules.filter((r) => ruleId === undefined || r.id === ruleId).map((rule) => explainRule(rule, event, now))
}
