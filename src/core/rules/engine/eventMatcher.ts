import type { ObjectNode, PatternNode } from '../pattern/compilePattern.js'
import { matchNode } from '../pattern/evaluatePattern.js'
import { subjectReader } from '../../intake/subject.js'
import type { CloudTrailRecord, EventContext } from '../../intake/types.js'

type Read = (record: CloudTrailRecord, context: EventContext) => unknown

/** One top-level condition of a pattern: a field and what it must match. Its answer depends on the event alone. */
interface Conjunct {
  /** Its place in the per-event memo. */
  slot: number
  read: Read
  node: PatternNode
}

/**
 * A rule pattern prepared for the hot path. Top-level fields are read from the event in place (no subject
 * is built), and each top-level condition is shared between all the rules of a set that write it, so it
 * is answered at most once per event. Real rule sets repeat the same conditions (env: [prod],
 * errorCode: [{ exists: false }], mutating: [true], actor.console: [true]) across many rules; with 1,000
 * rules this turns thousands of tests per event into a few dozen (npm run bench, P1).
 */
export interface EventMatcher {
  /** The conditions that must all hold (shared with the other rules of the set that write them). */
  conditions: Conjunct[]
  /** Each `$or` is a list of alternatives; one of them must match. */
  ors: EventMatcher[][]
}

/**
 * Top-level fields whose value is always a plain object made by normalisation (or the record itself): a
 * condition under them can be split into one condition per sub-field, so `actor.console: [true]` is shared
 * even by rules that also test `actor.mfa`. (Under a record field the value might be an array of objects,
 * where sibling fields must hold in the same element, so those stay whole.)
 */
const OBJECT_FIELDS: ReadonlySet<string> = new Set(['actor', 'ecs', 'detail'])

const own = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined

/** The pattern as written, as a string: equal strings compile to the same predicate within one rule set. */
function canonical(node: PatternNode): string {
  if (node.kind === 'leaf') return JSON.stringify(node.source)
  const fields = node.fields.map((f) => `${JSON.stringify(f.key)}:${canonical(f.node)}`)
  const ors = node.ors.map((alts) => `$or:[${alts.map(canonical).join(',')}]`)
  return `{${[...fields, ...ors].join(',')}}`
}

/** The conditions of one rule set, each with a slot in the per-event memo. */
export class ConditionTable {
  readonly conjuncts: Conjunct[] = []
  private readonly byKey = new Map<string, Conjunct>()

  private conjunct(key: string, read: Read, node: PatternNode): Conjunct {
    let conjunct = this.byKey.get(key)
    if (conjunct === undefined) {
      conjunct = { slot: this.conjuncts.length, read, node }
      this.conjuncts.push(conjunct)
      this.byKey.set(key, conjunct)
    }
    return conjunct
  }

  /** Prepare a pattern; `skip` names top-level fields the rule-set index has already decided (eventSource, eventName). */
  compile(node: ObjectNode, skip: ReadonlySet<string> = new Set()): EventMatcher {
    const conditions: Conjunct[] = []
    for (const { key, node: child } of node.fields) {
      if (skip.has(key)) continue
      const read = subjectReader(key)
      if (OBJECT_FIELDS.has(key) && child.kind === 'object' && child.ors.length === 0) {
        for (const sub of child.fields)
          conditions.push(this.conjunct(`${key}.${sub.key}\u0000${canonical(sub.node)}`, (r, c) => own(read(r, c), sub.key), sub.node))
      } else {
        conditions.push(this.conjunct(`${key}\u0000${canonical(child)}`, read, child))
      }
    }
    return { conditions, ors: node.ors.map((alts) => alts.map((alt) => this.compile(alt))) }
  }
}

/**
 * 0: not yet asked; 1: no; 2: yes. One per event, one entry per condition of the table. A slot past its end (a memo
 * sized for another table) reads as not yet asked: that condition is answered afresh each time, never wrongly.
 */
export type ConditionMemo = Uint8Array

export function matchEvent(matcher: EventMatcher, record: CloudTrailRecord, context: EventContext, memo: ConditionMemo): boolean {
  for (const c of matcher.conditions) {
    let known = memo[c.slot] ?? 0
    if (known === 0) known = memo[c.slot] = matchNode(c.node, c.read(record, context)) ? 2 : 1
    if (known !== 2) return false
  }
  for (const alternatives of matcher.ors) if (!alternatives.some((alt) => matchEvent(alt, record, context, memo))) return false
  return true
}
