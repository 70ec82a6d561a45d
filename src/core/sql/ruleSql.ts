import type { CompiledRule } from '../rules/engine/compileRule.js'
import type { ObjectNode } from '../rules/pattern/compilePattern.js'
import type { DeriveContext } from './derivedColumns.js'
import { objectSql } from './patternSql.js'
import { SqlRefusal } from './sqlRefusal.js'
import { and, cases, not, or, quote } from './sqlText.js'
import { subjectValue } from './subjectSql.js'

/** One rule as SQL: the row predicate (match, service actors, exceptions) and its severity expression. */
export interface RuleSql {
  rule: CompiledRule
  predicate: string
  severity: string
}

export interface RuleRefusal {
  rule: CompiledRule
  field: string
  reason: string
}

/** The rule in SQL, or why not. Derived columns it needs are reported through `use`. */
export function ruleSql(rule: CompiledRule, c: DeriveContext & { use(column: string): void }): RuleSql | RuleRefusal {
  const needed: string[] = []
  const local = { ...c, use: (column: string) => needed.push(column) }
  try {
    const subject = subjectValue(local)
    const on = (node: ObjectNode) => objectSql(node, subject, '', local)
    const match = on(rule.match)
    // evaluate.ts: calls AWS services make on their own are skipped unless the pattern names actor.service.
    if (!rule.includesServiceActors) local.use('tw_actor_service')
    const serviceSkip = rule.includesServiceActors ? 'TRUE' : 'NOT tw_actor_service'
    // An exception applies while the event's time is before its expiry (replay judges exceptions at the event's time).
    const exceptions = rule.exceptions.map((e) => {
      const m = on(e.match)
      return e.expiry ? and(m, `tw_event_time < ${quote(new Date(e.expiry.endsAt).toISOString().replace('.000Z', 'Z'))}`) : m
    })
    if (rule.exceptions.some((e) => e.expiry)) local.use('tw_event_time')
    const severity = cases(rule.escalations.map((e) => [on(e.match), quote(e.severity)]), quote(rule.severity))
    for (const column of needed) c.use(column)
    return { rule, predicate: and(match, serviceSkip, not(or(...exceptions))), severity }
  } catch (err) {
    if (err instanceof SqlRefusal) return { rule, field: err.field, reason: err.reason }
    throw err
  }
}

export const isRefusal = (r: RuleSql | RuleRefusal): r is RuleRefusal => 'reason' in r
